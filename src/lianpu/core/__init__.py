"""Pure numeric core: ndarray / scipy.sparse in, ndarray out. No pandas, no I/O."""
