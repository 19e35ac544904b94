/* The strike map's drawing engine: the shell is set up once (StrikeMap.init),
 * data arrive as data (StrikeMap.update) and are drawn by one drawer per draw
 * kind. Text from data is only ever set with textContent. Loaded after Leaflet.
 */
(function () {
  "use strict";

  var SM = (window.StrikeMap = {});
  // WGS 84 ellipsoid.
  var A = 6378137.0;
  var F = 1 / 298.257223563;
  var E2 = F * (2 - F);
  var RING_VERTICES = 64;
  var DEG = Math.PI / 180;

  /* The point at *distance* metres from (lon, lat) along *azimuth* on the
   * ellipsoid: Vincenty's direct formula (1975), good to well under a metre.
   * GeographicLib's JavaScript port would do as well but is only on npm. */
  SM.direct = function (lon, lat, azimuth, distance) {
    var b = A * (1 - F);
    var sinA = Math.sin(azimuth), cosA = Math.cos(azimuth);
    var tanU1 = (1 - F) * Math.tan(lat * DEG);
    var cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1), sinU1 = tanU1 * cosU1;
    var sigma1 = Math.atan2(tanU1, cosA);
    var sinAlpha = cosU1 * sinA;
    var cos2Alpha = 1 - sinAlpha * sinAlpha;
    var u2 = (cos2Alpha * (A * A - b * b)) / (b * b);
    var bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var sigma = distance / (b * bigA), previous, cos2SigmaM, sinSigma, cosSigma;
    var guard = 0;
    do {
      cos2SigmaM = Math.cos(2 * sigma1 + sigma);
      sinSigma = Math.sin(sigma);
      cosSigma = Math.cos(sigma);
      var deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (
        cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
        (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) *
        (-3 + 4 * cos2SigmaM * cos2SigmaM)));
      previous = sigma;
      sigma = distance / (b * bigA) + deltaSigma;
    } while (Math.abs(sigma - previous) > 1e-12 && ++guard < 100);
    var x = sinU1 * sinSigma - cosU1 * cosSigma * cosA;
    var lat2 = Math.atan2(sinU1 * cosSigma + cosU1 * sinSigma * cosA,
      (1 - F) * Math.sqrt(sinAlpha * sinAlpha + x * x));
    var lambda = Math.atan2(sinSigma * sinA, cosU1 * cosSigma - sinU1 * sinSigma * cosA);
    var c = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    var l = lambda - (1 - c) * F * sinAlpha * (sigma + c * sinSigma * (
      cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    return [lat2 / DEG, lon + l / DEG];
  };

  /* A ring of points at *radius* metres from (lon, lat), as Leaflet [lat, lng]
   * pairs. The vertex radius is raised by half the chord sag, so vertices and
   * edge midpoints straddle the stated radius by under 0.06 % each (checked
   * against pyproj.Geod in the tests). */
  SM.ring = function (lon, lat, radius, n) {
    n = n || RING_VERTICES;
    var r = (radius * (1 + 1 / Math.cos(Math.PI / n))) / 2;
    var out = [];
    for (var i = 0; i < n; i++) {
      out.push(SM.direct(lon, lat, (2 * Math.PI * i) / n, r));
    }
    return out;
  };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function tipNode(title, rows) {
    var box = el("div", "sm-tip");
    if (title) box.appendChild(el("b", null, title));
    (rows || []).forEach(function (row) {
      var line = el("div");
      line.appendChild(el("span", "sm-tip-key", row[0] + ": "));
      line.appendChild(el("span", null, row[1]));
      box.appendChild(line);
    });
    return box;
  }

  function tipOptions() {
    return { sticky: true, direction: "auto", className: "sm-tooltip", opacity: 0.95 };
  }

  // Ray casting over GeoJSON rings (lon, lat); holes flip the answer.
  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  function inGeometry(geometry, x, y) {
    if (!geometry) return false;
    var polygons =
      geometry.type === "Polygon"
        ? [geometry.coordinates]
        : geometry.type === "MultiPolygon"
          ? geometry.coordinates
          : [];
    return polygons.some(function (polygon) {
      var hit = false;
      polygon.forEach(function (ring) {
        if (inRing(x, y, ring)) hit = !hit;
      });
      return hit;
    });
  }

  function near(map, latlng, target, pixels) {
    return map.latLngToContainerPoint(latlng).distanceTo(
      map.latLngToContainerPoint(target)) <= pixels;
  }

  /* ---- Drawers: one per draw kind named in the layer specs. Each returns
   * {layer, items}; an item is one pickable feature (id, label, hit test,
   * outline for the highlight). */

  function drawOutline(state, spec, data) {
    var style = Object.assign({}, spec.style, { interactive: false });
    if (state.opts.tiles && style.fillOpacity !== undefined) style.fillOpacity = 0;
    var layer = L.geoJSON(data, { style: style, pane: "sm-context", interactive: false });
    return { layer: layer, items: [] };
  }

  function drawLabels(state, spec, data) {
    var group = L.layerGroup();
    (data.features || []).forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      L.circleMarker(ll, Object.assign({}, spec.style, {
        radius: 2.5, pane: "sm-context", interactive: false,
      })).addTo(group);
      var icon = L.divIcon({ className: "sm-label", html: "", iconSize: null, iconAnchor: [-5, 7] });
      var marker = L.marker(ll, { icon: icon, interactive: false, keyboard: false, pane: "sm-labels" });
      marker.on("add", function () {
        var node = marker.getElement();
        if (node) node.textContent = f.properties.name || "";
      });
      marker.addTo(group);
    });
    return { layer: group, items: [] };
  }

  function featureItems(spec, data, layer) {
    var items = [];
    layer.eachLayer(function (path) {
      var f = path.feature;
      var p = f.properties || {};
      var tip = tipNode(p.label, p.tip);
      path.bindTooltip(tip, tipOptions());
      path.on("add", function () {
        var node = path.getElement && path.getElement();
        if (node) {
          node.setAttribute("role", "img");  // a name is allowed only with a role
          node.setAttribute("aria-label", spec.title + ": " + (p.label || ""));
        }
      });
      items.push({
        id: p.id || "",
        label: p.label || spec.title,
        layerName: spec.name,
        rank: p.rank || 1e12,
        hit: function (map, latlng) {
          if (f.geometry.type === "Point") {
            var c = f.geometry.coordinates;
            return near(map, latlng, L.latLng(c[1], c[0]), 9);
          }
          return inGeometry(f.geometry, latlng.lng, latlng.lat);
        },
        geometry: f.geometry,
      });
    });
    return items;
  }

  function drawAreas(state, spec, data) {
    var layer = L.geoJSON(data, {
      style: function () { return Object.assign({}, spec.style); },
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, Object.assign({ radius: 7 }, spec.style));
      },
      pane: "sm-areas",
    });
    return { layer: layer, items: featureItems(spec, data, layer) };
  }

  function zoneStyle(state, spec, klass, outline, id) {
    var style = Object.assign({}, spec.style);
    var fade = FRAME_FADE[id === undefined ? state.zonesFaded : frameRole(state, id)];
    if (fade) {
      style.opacity = (style.opacity === undefined ? 1 : style.opacity) * fade;
      style.fillOpacity = (style.fillOpacity === undefined ? 0.2 : style.fillOpacity) * fade;
    }
    // Hatched and dashed: P4-P5 only; a P3 zone is shaded with a solid outline.
    var coarse = (state.opts.coarseClasses || state.opts.areaClasses).indexOf(klass) >= 0;
    if (outline) {
      style.fill = false;
      if (coarse) style.dashArray = "6 4";
    } else {
      style.stroke = false;
      if (coarse) {
        style.fillColor = "url(#" + state.opts.hatch + ")";
        style.fillOpacity = fade || 1.0;
      }
    }
    return style;
  }

  function drawZones(state, spec, data) {
    var group = L.featureGroup();
    // A fill covers a group of zones: faded when all of them are.
    var ids = (data.features.features || []).map(function (f) { return f.properties.id; });
    state.zonesFaded = ids.length && ids.every(function (id) {
      return frameRole(state, id) === "faded";
    }) ? "faded" : "";
    // One fill per group: overlapping zones must not add up into a bullseye.
    L.geoJSON(data.fill, {
      style: function (f) { return zoneStyle(state, spec, f.properties.klass, false); },
      pane: "sm-areas",
      interactive: false,
    }).addTo(group);
    var outlines = L.geoJSON(data.features, {
      style: function (f) {
        return zoneStyle(state, spec, f.properties.klass, true, f.properties.id || "");
      },
      pane: "sm-areas",
    });
    outlines.addTo(group);
    // Outlines only catch the pointer on their stroke; the tooltip follows
    // the map click hit test instead, so the interior stays pickable.
    return { layer: group, items: featureItems(spec, data.features, outlines) };
  }

  // Worded as the card words it: Python's "{:g} km" for the radius.
  function km(metres) {
    return Number((metres / 1000).toPrecision(6)).toString() + " km";
  }

  var eventTip = (SM.eventTip = function (data, i) {
    var h = data.tipHeader;
    return [
      [h.labels[0], data.date[i]],
      [h.labels[1], h.types[data.type[i]]],
      [h.labels[2], h.classes[data.pc[i]] || data.pc[i]],
      [h.labels[3], km(data.r[i])],
    ];
  });

  /* ---- Time playback (layers/page/playback.py): a frame names the events
   * drawn faded (before it) and spanning (known only to a wider span). */
  var FRAME_FADE = { faded: 0.35, spanning: 0.6 };
  var FRAME_WORDS = {
    faded: "before this frame (faded)",
    spanning: "known only to its week or month (drawn across all of it)",
  };

  function frameRole(state, id) {
    var frame = state.frame;
    if (!frame || !id) return "";
    if (frame.faded[id]) return "faded";
    if (frame.spanning[id]) return "spanning";
    return "";
  }

  function asSet(ids) {
    var out = {};
    (ids || []).forEach(function (id) { out[id] = true; });
    return out;
  }

  function drawEvents(state, spec, data) {
    var group = L.featureGroup();
    var items = [];
    var renderer = state.canvas;
    var colours = data.colours;
    var areaClasses = state.opts.areaClasses;
    var n = data.id.length;
    for (var i = 0; i < n; i++) {
      (function (i) {
        var colour = colours[data.type[i]] || "#707070";
        var klass = data.pc[i];
        var area = areaClasses.indexOf(klass) >= 0;
        var centre = L.latLng(data.lat[i], data.lon[i]);
        // The event's own area (a disc cut by its constraints, a governorate)
        // where it has one, else the disc of its radius.
        var geometry = data.shape && data.shape[i] >= 0 ? data.shapes[data.shape[i]] : null;
        var ring = geometry
          ? L.GeoJSON.coordsToLatLngs(geometry.coordinates, geometry.type === "Polygon" ? 1 : 2)
          : SM.ring(data.lon[i], data.lat[i], data.r[i]);
        // In a playback frame: faded (before the frame) or spanning (known
        // only to its week or month: its area, lighter, never a point).
        var role = frameRole(state, data.id[i]);
        var fade = FRAME_FADE[role] || 1;
        var rows = eventTip(data, i);
        if (role) rows = rows.concat([["Frame", FRAME_WORDS[role]]]);
        var tip = tipNode(data.id[i] + " " + data.title[i], rows);
        var polygon = L.polygon(ring, {
          renderer: renderer, color: colour, weight: area ? 1.5 : 1.2,
          dashArray: area || role === "spanning" ? "6 4" : "4 4", fillColor: colour,
          fillOpacity: (area || role === "spanning" ? 0.10 : 0.05) * fade, opacity: fade,
        }).bindTooltip(tip, tipOptions());
        polygon.addTo(group);
        if (!area && role !== "spanning") {
          L.circleMarker(centre, {
            renderer: renderer, radius: 5, weight: 1.5, color: "#222222",
            fillColor: colour, fillOpacity: 0.9 * fade, opacity: fade,
          }).bindTooltip(tip, tipOptions()).addTo(group);
        }
        items.push({
          id: data.id[i],
          label: data.id[i] + ": " + data.title[i],
          layerName: spec.name,
          rank: data.r[i],
          hit: function (map, latlng) {
            if (geometry) return inGeometry(geometry, latlng.lng, latlng.lat);
            return map.distance(latlng, centre) <= data.r[i] ||
              (!area && near(map, latlng, centre, 9));
          },
          ring: ring,
          geometry: geometry || undefined,
        });
      })(i);
    }
    // Counts in H3 hexagons (layers/map/hexbin.py); a click zooms in.
    var cells = data.cells;
    if (cells) {
      var max = Math.max.apply(null, cells.n.concat([1]));
      for (var k = 0; k < cells.n.length; k++) {
        (function (k) {
          var colour = colours[cells.type[k]] || "#707070";
          var hexagon = L.polygon(cells.ring[k], {
            renderer: renderer, color: colour, weight: 1,
            fillColor: colour, fillOpacity: 0.25 + 0.55 * Math.sqrt(cells.n[k] / max),
          });
          var bounds = hexagon.getBounds();
          hexagon.bindTooltip(tipNode(cells.n[k] + " events", [["Click", "zoom in"]]), tipOptions());
          hexagon.addTo(group);
          var label = L.marker(bounds.getCenter(), {
            interactive: false, keyboard: false, pane: "sm-labels",
            icon: L.divIcon({ className: "sm-count", html: "", iconSize: null }),
          });
          label.on("add", function () {
            var node = label.getElement();
            if (node) node.textContent = String(cells.n[k]);
          });
          label.addTo(group);
          var ring = cells.ring[k].map(function (p) { return [p[1], p[0]]; });
          items.push({
            id: "", label: cells.n[k] + " events", layerName: spec.name, rank: 0,
            cell: bounds,
            hit: function (map, latlng) { return inRing(latlng.lng, latlng.lat, ring); },
          });
        })(k);
      }
    }
    return { layer: group, items: items };
  }

  var DRAWERS = {
    outline: drawOutline,
    labels: drawLabels,
    areas: drawAreas,
    points: drawAreas,
    zones: drawZones,
    events: drawEvents,
  };
  SM.DRAWERS = DRAWERS;

  /* ---- The channel back to Python: streamlit-folium reports the returned
   * keys of window.__GLOBAL_DATA__ (debounced) after each "moveend". */

  function report(state) {
    var map = state.map;
    var c = map.getCenter();
    var b = map.getBounds();
    // Snapped to half a tile (128 px) at this zoom, bounds outward: a pan
    // smaller than that reports the same value, so streamlit-folium (which
    // sends only a changed value) does not rerun the page for it.
    var step = 360 / Math.pow(2, map.getZoom() + 1);
    var snap = function (v, how) { return Math.round(how(v / step) * step * 1e4) / 1e4; };
    var value = {
      lat: snap(c.lat, Math.round), lon: snap(c.lng, Math.round), zoom: map.getZoom(),
      bounds: [snap(b.getSouth(), Math.floor), snap(b.getWest(), Math.floor),
        snap(b.getNorth(), Math.ceil), snap(b.getEast(), Math.ceil)],
      hidden: Object.keys(state.hidden).filter(function (k) { return state.hidden[k]; }).sort(),
      pick: state.pick, seq: state.seq,
    };
    var global = window.__GLOBAL_DATA__;
    if (global) global[state.opts.channel] = value;
  }

  function send(state) {
    report(state);
    state.map.fire("moveend");
  }

  /* ---- Selection and the list of everything under a click. */

  function highlight(state) {
    if (state.highlight) {
      state.map.removeLayer(state.highlight);
      state.highlight = null;
    }
    var id = state.selected;
    if (!id) return;
    var item = state.items.filter(function (it) { return it.id === id; })[0];
    if (!item) return;
    var style = { pane: "sm-highlight", interactive: false, color: "#ffd400", weight: 5, opacity: 1, fill: false };
    var shape = item.geometry
      ? L.geoJSON(item.geometry, {
          style: style, pane: "sm-highlight",
          pointToLayer: function (f, ll) { return L.circleMarker(ll, Object.assign({ radius: 10 }, style)); },
        })
      : L.polygon(item.ring, style);
    var outline = L.featureGroup([shape]);
    outline.addTo(state.map);
    state.highlight = outline;
  }

  function choose(state, item) {
    state.map.closePopup();
    if (item.cell) {
      state.map.fitBounds(item.cell);
      return;
    }
    state.selected = item.id;
    state.pick = item.id;
    state.seq += 1;
    highlight(state);
    send(state);
  }

  function onClick(state, e) {
    var map = state.map;
    // Features that open a card (events, zones) or zoom in (cells).
    var hits = state.items.filter(function (it) {
      return (it.id || it.cell) && !state.hidden[it.layerName] && it.hit(map, e.latlng);
    });
    // streamlit-folium copies a clicked layer's tooltip into its own keys;
    // restate ours so only a pick made here reaches Python.
    report(state);
    if (!hits.length) return;
    hits.sort(function (a, b) { return a.rank - b.rank; });
    var seen = {};
    hits = hits.filter(function (it) {
      var key = it.id || it.label;
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
    if (hits.length === 1) {
      choose(state, hits[0]);
      return;
    }
    var box = el("div", "sm-picklist");
    box.appendChild(el("b", null, hits.length + " features here, pick one:"));
    var list = el("ul");
    hits.forEach(function (it) {
      var li = el("li");
      var button = el("button", null, it.label);
      button.type = "button";
      L.DomEvent.on(button, "click", function (ev) {
        L.DomEvent.stop(ev);
        choose(state, it);
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    box.appendChild(list);
    L.popup({ maxWidth: 320, autoPanPadding: [20, 20], className: "sm-popup" })
      .setLatLng(e.latlng).setContent(box).openOn(map);
    // From the keyboard, the first choice takes the focus (Tab moves on).
    if (e.keyboard) {
      var first = box.querySelector("button");
      if (first) first.focus();
    }
  }

  /* The keyboard's click: with the map itself focused (arrow keys pan, +/-
   * zoom), Enter or Space picks what lies under the centre cross. */
  function keyboardPicks(state) {
    var map = state.map;
    var box = map.getContainer();
    var cross = el("div", "sm-cross");
    cross.setAttribute("aria-hidden", "true");
    box.appendChild(cross);
    box.addEventListener("keydown", function (ev) {
      if (ev.target !== box || SM.measuring) return;
      if (ev.key !== "Enter" && ev.key !== " ") return;
      ev.preventDefault();
      onClick(state, { latlng: map.getCenter(), keyboard: true });
    });
  }

  /* ---- Controls: the legend (with the layer switches) and the view buttons. */

  function swatch(css) {
    var node = el("i", "sm-swatch");
    node.setAttribute("style", css);
    return node;
  }

  function applyVisibility(state) {
    Object.keys(state.layers).forEach(function (name) {
      var layer = state.layers[name];
      var off = state.hidden[name];
      if (off && state.map.hasLayer(layer)) state.map.removeLayer(layer);
      if (!off && !state.map.hasLayer(layer)) state.map.addLayer(layer);
    });
  }

  function legendControl(state) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "sm-legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var details = el("details");
      details.appendChild(el("summary", null, "Legend and layers"));
      state.opts.legend.forEach(function (row) {
        if (row.heading) {
          details.appendChild(el("div", "sm-legend-head", row.heading));
          return;
        }
        var line = el("label", "sm-legend-row");
        if (row.layer) {
          var box = el("input");
          box.type = "checkbox";
          box.checked = !state.hidden[row.layer];
          box.setAttribute("aria-label", "Show " + row.text);
          box.dataset.layer = row.layer;
          // Space toggles a checkbox; Enter does too here, as on the summary.
          box.addEventListener("keydown", function (ev) {
            if (ev.key === "Enter") {
              ev.preventDefault();
              box.click();
            }
          });
          box.addEventListener("change", function () {
            state.hidden[row.layer] = !box.checked;
            applyVisibility(state);
            send(state);
          });
          line.appendChild(box);
        }
        if (row.swatch) line.appendChild(swatch(row.swatch));
        line.appendChild(el("span", null, " " + row.text));
        details.appendChild(line);
      });
      var words = el("details", "sm-legend-classes");
      words.appendChild(el("summary", null, "Precision classes"));
      state.opts.words.forEach(function (pair) {
        words.appendChild(el("div", null, pair[0] + ": " + pair[1]));
      });
      details.appendChild(words);
      div.appendChild(details);
      state.legendBoxes = div;
      return div;
    };
    control.addTo(state.map);
  }

  function viewsControl(state) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "sm-views");
      L.DomEvent.disableClickPropagation(div);
      div.appendChild(el("span", null, "View "));
      state.opts.views.forEach(function (view) {
        var button = el("button", null, view[0]);
        button.type = "button";
        button.addEventListener("click", function () { state.map.fitBounds(view[1]); });
        div.appendChild(button);
      });
      return div;
    };
    control.addTo(state.map);
  }

  function statusControl(state) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "sm-status");
      div.setAttribute("role", "status");
      state.status = div;
      return div;
    };
    control.addTo(state.map);
  }

  function loadContext(state, spec) {
    var drawer = DRAWERS[spec.kind];
    var pane = L.layerGroup();
    state.layers[spec.name] = pane;
    var levels = {};
    var current = null;
    function fetchLevel(source) {
      if (typeof source !== "string") return Promise.resolve(source);
      return fetch(source).then(function (r) { return r.json(); });
    }
    function show() {
      var want = state.map.getZoom() < spec.fineFrom ? "coarse" : "fine";
      if (want === current) return;
      current = want;
      state.pending += 1;
      var ready = levels[want]
        ? Promise.resolve(levels[want])
        : fetchLevel(spec[want]).then(function (data) {
            levels[want] = drawer(state, spec, data).layer;
            return levels[want];
          });
      ready.then(function (layer) {
        state.pending -= 1;
        if (current !== want) return;
        pane.clearLayers();
        pane.addLayer(layer);
      }, function () { state.pending -= 1; });
    }
    state.map.on("zoomend", show);
    show();
  }

  /* Whether the data and the context layers in use are on the map. */
  SM.ready = function () {
    return !!(SM.state && SM.state.drawn && SM.state.pending === 0);
  };

  var KEYS_HELP = "Arrow keys pan, plus and minus zoom, Enter opens the card " +
    "of what is under the centre cross; the events table below the map lists " +
    "every event.";

  SM.init = function (map, opts) {
    var state = {
      map: map, opts: opts, hidden: {}, layers: {}, items: [], selected: "",
      pick: "", seq: 0, highlight: null, pending: 0, drawn: false,
      shared: {}, generation: 0,
    };
    // Inside Leaflet's overlay pane, so paths sit where Leaflet puts vectors.
    var overlay = map.getPane("overlayPane");
    [["sm-context", 1], ["sm-areas", 2], ["sm-events", 3], ["sm-highlight", 4], ["sm-labels", 650]]
      .forEach(function (p) {
        var pane = map.createPane(p[0], p[0] === "sm-labels" ? undefined : overlay);
        pane.style.zIndex = p[1];
        if (p[0] === "sm-highlight" || p[0] === "sm-labels") pane.style.pointerEvents = "none";
      });
    state.canvas = L.canvas({ pane: "sm-events", padding: 0.5 });
    (opts.initialHidden || []).forEach(function (name) { state.hidden[name] = true; });
    opts.context.forEach(function (spec) { loadContext(state, spec); });
    applyVisibility(state);
    legendControl(state);
    viewsControl(state);
    statusControl(state);
    map.on("click", function (e) { if (!SM.measuring) onClick(state, e); });
    keyboardPicks(state);
    map.on("moveend", function () { report(state); });
    try {
      if (window.frameElement) window.frameElement.setAttribute("title", opts.title);
    } catch (err) { /* a cross-origin frame keeps its title */ }
    map.getContainer().setAttribute("aria-label", opts.title + ". " + KEYS_HELP);
    SM.state = state;
    report(state);
    return state;
  };

  /* ---- Layers sent once (layers/map/refs.py): a payload names a file of a
   * layer's full data, fetched once per page, and lists what it picks. */

  function shared(state, url) {
    if (!state.shared[url]) {
      state.shared[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
      state.shared[url].catch(function () { delete state.shared[url]; });
    }
    return state.shared[url];
  }

  function pick(items, full) {
    return {
      type: "FeatureCollection",
      features: items.map(function (p) { return typeof p === "number" ? full[p] : p; }),
    };
  }

  SM.resolve = function (kind, data, full) {
    if (kind === "events") {
      var out = Object.assign({}, full);
      ["id", "title", "type", "pc", "r", "lon", "lat", "date", "shape"].forEach(function (c) {
        out[c] = data.keep.map(function (i) { return full[c][i]; });
      });
      return out;
    }
    if (kind === "zones") {
      return {
        features: pick(data.items, full.features.features),
        fill: pick(data.fills, full.fill.features),
      };
    }
    return pick(data.items, full.features);
  };

  function layerData(state, spec) {
    var data = spec.data;
    if (!data || !data.ref) return data;
    return shared(state, data.ref).then(function (full) {
      return SM.resolve(spec.kind, data, full);
    });
  }

  /* Draw a data payload; returns the L.FeatureGroup holding it (streamlit-folium
   * removes it again before the next payload is drawn). Shared layers are
   * drawn once their files are in (at once when fetched before). */
  SM.update = function (map, payload) {
    var state = SM.state;
    var group = L.featureGroup();
    var generation = (state.generation += 1);
    state.items = [];
    state.selected = payload.selected || "";
    state.frame = payload.frame
      ? { faded: asSet(payload.frame.faded), spanning: asSet(payload.frame.spanning),
          window: payload.frame.window }
      : null;
    function draw(datas) {
      if (generation !== state.generation) return;
      payload.layers.forEach(function (spec, k) {
        var drawn = DRAWERS[spec.kind](state, spec, datas[k]);
        var holder = L.layerGroup([drawn.layer]);
        // Visibility lives with the shell: switching follows state.hidden.
        if (state.layers[spec.name] && state.map.hasLayer(state.layers[spec.name])) {
          state.map.removeLayer(state.layers[spec.name]);
        }
        state.layers[spec.name] = holder;
        group.addLayer(holder);
        state.items = state.items.concat(drawn.items);
      });
      state.drawn = true;
      if (state.map.hasLayer(group)) {
        applyVisibility(state);
        highlight(state);
      }
    }
    group.on("add", function () {
      applyVisibility(state);
      highlight(state);
    });
    var datas = payload.layers.map(function (spec) { return layerData(state, spec); });
    if (datas.some(function (d) { return d && typeof d.then === "function"; })) {
      state.pending += 1;
      Promise.all(datas).then(function (resolved) {
        state.pending -= 1;
        draw(resolved);
      }, function () { state.pending -= 1; });
    } else {
      draw(datas);
    }
    if (state.status) state.status.textContent = payload.status || "";
    state.status && (state.status.style.display = payload.status ? "" : "none");
    return group;
  };
})();
