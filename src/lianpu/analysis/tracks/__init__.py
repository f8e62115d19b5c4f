"""Future-industry tracks 未来产业赛道: the shipped catalogue, its file format, carve-outs."""
