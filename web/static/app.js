// Progressive enhancement only: every page works without this file.
// Maps: an element with class "map" and data-markers (JSON [{lat, lng, label, href}]) becomes a
// Leaflet map; data-tiles names the tile server (none: markers on a plain background).
(function () {
  "use strict";

  function drawMaps(root) {
    if (typeof L === "undefined") return;
    root.querySelectorAll(".map[data-markers]").forEach(function (element) {
      if (element.dataset.drawn) return;
      element.dataset.drawn = "true";
      var markers = JSON.parse(element.dataset.markers || "[]");
      var map = L.map(element, { scrollWheelZoom: false });
      if (element.dataset.tiles) {
        L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
      }
      var points = [];
      markers.forEach(function (marker) {
        var point = [marker.lat, marker.lng];
        points.push(point);
        var circle = L.circleMarker(point, { radius: 8, color: "#256ef4", weight: 2, fillOpacity: 0.7 }).addTo(map);
        if (marker.label) {
          var link = document.createElement("a");
          link.textContent = marker.label;
          if (marker.href) link.href = marker.href;
          circle.bindPopup(link);
        }
      });
      if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
      else if (points.length === 1) map.setView(points[0], 15);
      else map.setView([37.5665, 126.978], 11); // Seoul City Hall
    });
  }

  // "Near me": fill the form's lat and lng from the browser, then let the form submit.
  function nearMe(root) {
    root.querySelectorAll("[data-near-me]").forEach(function (button) {
      if (button.dataset.bound || !navigator.geolocation) return;
      button.dataset.bound = "true";
      button.hidden = false;
      button.addEventListener("click", function () {
        var form = button.form;
        navigator.geolocation.getCurrentPosition(function (position) {
          form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(6);
          form.querySelector("[name=lng]").value = position.coords.longitude.toFixed(6);
          form.requestSubmit();
        });
      });
    });
  }

  function enhance(root) {
    drawMaps(root);
    nearMe(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js");
  });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
