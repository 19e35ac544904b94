/* Two-click measuring on the strike map: the geodesic distance and bearing
 * between two clicked points, drawn as a line with its label. Computed in the
 * browser on the WGS 84 ellipsoid (Vincenty's inverse formula, checked against
 * pyproj.Geod in the tests). Loaded after strikemap.js; hooks StrikeMap.init.
 */
(function () {
  "use strict";

  var SM = (window.StrikeMap = window.StrikeMap || {});
  var A = 6378137.0;
  var F = 1 / 298.257223563;
  var B = A * (1 - F);
  var DEG = Math.PI / 180;
  var LINE_VERTICES = 64;

  /* Geodesic distance (m) and forward azimuth (degrees, 0-360 clockwise from
   * north) from (lon1, lat1) to (lon2, lat2): Vincenty's inverse formula (1975),
   * iterated to 1e-12 rad. Nearly antipodal points, where it may not converge,
   * give NaN rather than a wrong figure. */
  SM.inverse = function (lon1, lat1, lon2, lat2) {
    var L0 = (lon2 - lon1) * DEG;
    var U1 = Math.atan((1 - F) * Math.tan(lat1 * DEG));
    var U2 = Math.atan((1 - F) * Math.tan(lat2 * DEG));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1);
    var sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L0, previous, guard = 0;
    var sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM, sinLambda, cosLambda;
    do {
      sinLambda = Math.sin(lambda);
      cosLambda = Math.cos(lambda);
      var t1 = cosU2 * sinLambda;
      var t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda;
      sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
      if (sinSigma === 0) return { distance: 0, azimuth: 0 };
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
      sigma = Math.atan2(sinSigma, cosSigma);
      var sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
      cos2Alpha = 1 - sinAlpha * sinAlpha;
      cos2SigmaM = cos2Alpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cos2Alpha : 0;
      var C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
      previous = lambda;
      lambda = L0 + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (
        cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    } while (Math.abs(lambda - previous) > 1e-12 && ++guard < 200);
    if (guard >= 200) return { distance: NaN, azimuth: NaN };
    var u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
    var bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (
      cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
      (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) *
      (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    var azimuth = Math.atan2(cosU2 * sinLambda, cosU1 * sinU2 - sinU1 * cosU2 * cosLambda);
    return {
      distance: B * bigA * (sigma - deltaSigma),
      azimuth: ((azimuth / DEG) + 360) % 360,
    };
  };

  /* The label of a measurement, as the page words distances. */
  SM.measureLabel = function (m) {
    var km = m.distance / 1000;
    var text = km >= 1 ? km.toFixed(km >= 100 ? 1 : 2) + " km" : m.distance.toFixed(0) + " m";
    return text + ", bearing " + m.azimuth.toFixed(0) + "\u00b0";
  };

  function geodesicLine(a, b, m) {
    if (!SM.direct || !(m.distance > 0)) return [a, b];
    var out = [];
    for (var i = 0; i <= LINE_VERTICES; i++) {
      out.push(SM.direct(a.lng, a.lat, m.azimuth * DEG, (m.distance * i) / LINE_VERTICES));
    }
    out[LINE_VERTICES] = [b.lat, b.lng];
    return out;
  }

  function measureControl(map) {
    var tool = { on: false, points: [], layer: L.layerGroup().addTo(map) };
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "sm-measure leaflet-bar");
      L.DomEvent.disableClickPropagation(div);
      var button = L.DomUtil.create("button", "sm-measure-button", div);
      button.type = "button";
      button.textContent = "Measure";
      button.setAttribute("aria-pressed", "false");
      button.title = "Measure: click two points on the map for the geodesic distance and bearing";
      var result = L.DomUtil.create("div", "sm-measure-result", div);
      result.setAttribute("role", "status");
      result.setAttribute("aria-live", "polite");
      tool.result = result;
      button.addEventListener("click", function () { SM.setMeasuring(map, !tool.on); });
      tool.button = button;
      return div;
    };
    control.addTo(map);
    map.on("click", function (e) {
      if (tool.on) SM.measureAt(map, e.latlng);
    });
    map.getContainer().addEventListener("keydown", function (e) {
      if (e.key === "Escape" && tool.on) SM.setMeasuring(map, false);
    });
    return tool;
  }

  SM.setMeasuring = function (map, on) {
    var tool = SM.measureTool;
    tool.on = on;
    SM.measuring = on;
    tool.points = [];
    tool.layer.clearLayers();
    tool.button.setAttribute("aria-pressed", on ? "true" : "false");
    tool.result.textContent = on ? "Click the first point." : "";
    map.getContainer().style.cursor = on ? "crosshair" : "";
  };

  /* One click of the measuring tool: the first point, then the second (which
   * draws the line and its label); a third click starts again. */
  SM.measureAt = function (map, latlng) {
    var tool = SM.measureTool;
    if (tool.points.length >= 2) {
      tool.points = [];
      tool.layer.clearLayers();
    }
    tool.points.push(latlng);
    L.circleMarker(latlng, { radius: 4, color: "#111111", weight: 2, fillColor: "#ffffff",
      fillOpacity: 1, interactive: false }).addTo(tool.layer);
    if (tool.points.length === 1) {
      tool.result.textContent = "Click the second point.";
      return null;
    }
    var a = tool.points[0], b = tool.points[1];
    var m = SM.inverse(a.lng, a.lat, b.lng, b.lat);
    var label = SM.measureLabel(m);
    L.polyline(geodesicLine(a, b, m), { color: "#111111", weight: 2.5, dashArray: "8 4",
      interactive: false }).addTo(tool.layer)
      .bindTooltip(label, { permanent: true, direction: "center", className: "sm-measure-label" });
    tool.result.textContent = label;
    tool.result.dataset.metres = String(m.distance);
    return m;
  };

  var init = SM.init;
  if (init) {
    SM.init = function (map, opts) {
      var state = init(map, opts);
      SM.measureTool = measureControl(map);
      return state;
    };
  }
})();
