// storyline pages: draw maps and timelines from the JSON API. Text from articles is only ever placed
// with textContent (never innerHTML), so hostile article text cannot become markup.
"use strict";

const PRECISION_STYLE = {
  1: { radius: 8, fillOpacity: 0.9, color: "#b3261e" },
  2: { radius: 7, fillOpacity: 0.55, color: "#e07b00" },
  3: { radius: 6, fillOpacity: 0.3, color: "#5f6b7a" },
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  return response.json();
}

async function drawMap(container) {
  const map = L.map(container, { worldCopyJump: true, attributionControl: true }).setView([20, 10], 2);
  map.attributionControl.addAttribution("Borders: Natural Earth · Places: GeoNames (CC BY 4.0)");
  try {
    const topo = await getJSON(container.dataset.borders);
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, { style: { color: "#8a94a3", weight: 0.6, fillColor: "#eef1f4", fillOpacity: 1 } }).addTo(map);
  } catch (error) {
    container.dataset.bordersError = String(error);
  }
  let points = [];
  if (container.dataset.geojson) {
    const data = await getJSON(container.dataset.geojson);
    points = data.features.map((f) => ({
      lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0], precision: f.properties.precision,
      title: (f.properties.kind === "event" ? "Event: " : "Place: ") + f.properties.name,
      text: f.properties.text, source: f.properties.source, kind: f.properties.kind,
    }));
  } else if (container.dataset.points) {
    const data = await getJSON(container.dataset.points);
    points = data.whereabouts.map((w) => ({
      lat: w.latitude, lon: w.longitude, precision: w.precision, title: w.place, text: w.evidence,
      source: (w.outlet || "unknown outlet") + (w.published ? ", " + w.published.slice(0, 10) : ""), kind: "place",
    }));
  }
  const layer = L.featureGroup();
  for (const p of points) {
    const style = PRECISION_STYLE[p.precision] || PRECISION_STYLE[3];
    const marker = L.circleMarker([p.lat, p.lon], { ...style, weight: p.kind === "event" ? 2 : 1 });
    const popup = el("div", "popup");
    popup.append(el("strong", null, p.title), el("p", null, p.text), el("p", "muted", p.source));
    marker.bindPopup(popup);
    layer.addLayer(marker);
  }
  layer.addTo(map);
  container.dataset.markers = String(points.length);
  if (points.length) map.fitBounds(layer.getBounds().pad(0.5), { maxZoom: 6 });  // the shipped borders are 1:50m
}

async function drawTimeline(list) {
  const data = await getJSON(list.dataset.timeline);
  list.replaceChildren();
  for (const item of data.items) {
    const li = el("li", "item " + item.kind + (item.background ? " background" : ""));
    li.append(el("time", null, (item.date || "").slice(0, 10)), el("span", "badge", item.label), el("q", null, item.text));
    const link = el("a", null, item.source);
    link.href = "/articles/" + encodeURIComponent(item.article_id);
    li.append(link);
    list.append(li);
  }
  if (!data.items.length) list.append(el("li", "muted", "No dated events or claims."));
  list.dataset.items = String(data.items.length);
}

document.querySelectorAll("[data-borders]").forEach((node) => drawMap(node).catch((e) => { node.dataset.error = String(e); }));
document.querySelectorAll("[data-timeline]").forEach((node) => drawTimeline(node).catch((e) => { node.dataset.error = String(e); }));
