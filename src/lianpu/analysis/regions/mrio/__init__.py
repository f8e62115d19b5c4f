"""China's inter-provincial MRIO 中国省际多区域投入产出: build it, then ask it regional questions."""
