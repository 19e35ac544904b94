"""The folium/Leaflet map: style, payloads, drawing, legend, assets."""
