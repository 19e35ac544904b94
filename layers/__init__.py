"""Map layers as GeoDataFrames: one module per layer, listed in ``registry``."""
