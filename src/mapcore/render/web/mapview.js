/* mapcore map view: one Leaflet map whose geometry is loaded once and whose values change.
 *
 * A spec (built by mapcore.render.maps) names content-addressed geometry files and carries, per place,
 * a colour class and tooltip lines; the law band, markers, legends and the view to fit. render(spec)
 * restyles the drawn places when only values change, keeps the user's zoom and pan while the view key
 * stays the same, and fits the new bounds when it changes.
 *
 * Text from the spec is put in the page with textContent only: no spec string is ever parsed as HTML.
 * Links (law sources) are kept only when they are http(s).
 *
 * A spec with frames (the spread over time) gets a date slider and a play button in its legend panel:
 * setFrame(i) recolours the drawn places with frame i's values; nothing else is fetched or drawn.
 *
 * Every word the map shows comes from Python in the reader's language (spec.ui, made by
 * mapcore.render.maps.web_texts; legend labels, tooltip lines and state names in the spec): this file holds none.
 * On a touch screen (no hover: matchMedia("(hover: none)")) a tap on a place opens one box, inside the map, with
 * what a mouse shows on hover and a click together; legends then use their "tap" wording.
 *
 * Geometry comes from, in order: window.MAPCORE_INLINE_GEOMETRY (a self-contained HTML export), this
 * page's memory, the browser's Cache Storage (files are content-addressed, so a name never changes
 * meaning and a hit never needs the network), the network.
 */
(function (global) {
  "use strict";

  var CACHE_NAME = "mapcore-geometry-v1";
  var memory = {};
  // A touch screen: no hover, so no tooltip; one tap shows one box.
  var TOUCH = !!(global.matchMedia && global.matchMedia("(hover: none)").matches);

  // The map's words in the reader's language (spec.ui); "" where a spec carries none.
  function words(spec) { return (spec && spec.ui) || {}; }

  function filled(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function el(tag, cls, text, parent) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (parent) parent.appendChild(node);
    return node;
  }

  function decode(enc) {
    var s = enc.s, features = [];
    for (var i = 0; i < enc.f.length; i++) {
      var item = enc.f[i], polys = [];
      for (var p = 0; p < item[2].length; p++) {
        var rings = [];
        for (var r = 0; r < item[2][p].length; r++) {
          var d = item[2][p][r], x = 0, y = 0, ring = [];
          for (var k = 0; k < d.length; k += 2) { x += d[k]; y += d[k + 1]; ring.push([x / s, y / s]); }
          rings.push(ring);
        }
        polys.push(rings);
      }
      features.push({type: "Feature", properties: {id: item[0], label: item[1], group: item[3] || item[0]},
                     geometry: {type: "MultiPolygon", coordinates: polys}});
    }
    return features;
  }

  function stem(url) { return url.replace(/-[0-9a-f]{8,64}\.json$/, ""); }

  function fetchJSON(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (res) {
      if (!res.ok) throw new Error("geometry " + url + ": HTTP " + res.status);
      return res;
    });
  }

  // One network fetch per file name, ever (per browser profile) where Cache Storage is available.
  function cachedFetch(url) {
    if (!global.caches || !global.isSecureContext) return fetchJSON(url).then(function (res) { return res.json(); });
    return caches.open(CACHE_NAME).then(function (cache) {
      return cache.match(url).then(function (hit) {
        if (hit) return hit.json();
        return fetchJSON(url).then(function (res) {
          var copy = res.clone();
          cache.put(url, copy).then(function () { return prune(cache, url); }).catch(function () {});
          return res.json();
        });
      });
    }, function () { return fetchJSON(url).then(function (res) { return res.json(); }); });
  }

  // Older versions of the same file (same stem, other hash) are dropped once a new one is stored.
  function prune(cache, url) {
    var keep = new URL(url, location.href).href;
    return cache.keys().then(function (requests) {
      requests.forEach(function (request) {
        if (request.url !== keep && stem(request.url) === stem(keep)) cache.delete(request);
      });
    });
  }

  function loadGeometry(base, name) {
    var inline = global.MAPCORE_INLINE_GEOMETRY;
    if (inline && Object.prototype.hasOwnProperty.call(inline, name)) return Promise.resolve(decode(inline[name]));
    if (!memory[name]) {
      memory[name] = cachedFetch(base + name).then(decode, function (err) { delete memory[name]; throw err; });
    }
    return memory[name];
  }

  function loadAll(base, names) {
    return Promise.all(names.map(function (n) { return loadGeometry(base, n); })).then(function (lists) {
      return [].concat.apply([], lists);
    });
  }

  // Height / width of bounds as Leaflet draws them (Web Mercator).
  function viewRatio(bounds) {
    function y(lat) { return Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)); }
    var dx = (bounds[1][1] - bounds[0][1]) * Math.PI / 180, dy = y(bounds[1][0]) - y(bounds[0][0]);
    return dx > 0 ? dy / dx : 1;
  }

  function isHttp(url) { return typeof url === "string" && /^https?:\/\/[^\s<>"']+$/i.test(url); }

  function tipBox(title, lines, extra) {
    var box = el("div", "mc-tip");
    el("b", null, title, box);
    (lines || []).forEach(function (line, i) { el("div", i ? "mc-tip-more" : "mc-tip-line", line, box); });
    (extra || []).forEach(function (line) { el("div", "mc-tip-law", line, box); });
    return box;
  }

  function MapView(root, options) {
    options = options || {};
    this.base = options.base || "";
    this.onSize = options.onSize || function () {};
    this.root = root;
    root.classList.add("mc-root");
    root.classList.toggle("mc-touch", TOUCH);
    this.wrap = el("div", "mc-wrap", null, root);
    this.mapBox = el("div", "mc-map", null, this.wrap);
    this.side = el("div", "mc-side", null, this.wrap);
    this.emptyBox = el("div", "mc-empty", null, this.mapBox);
    this.map = L.map(this.mapBox, {zoomSnap: 0.25, zoomDelta: 0.5, wheelPxPerZoomLevel: 120, minZoom: 1,
                                   attributionControl: true});
    this.map.attributionControl.setPrefix(false);
    this.map.setView([38, -96], 3);
    this.spec = null;
    this.layers = {areas: null, outlines: null, law: null, markers: L.layerGroup().addTo(this.map)};
    this.drawn = {areas: "", outlines: "", law: ""};
    this.fittedKey = null;
    this.userMoved = false;
    this.fitting = false;
    this.token = 0;
    this.renders = 0;
    this.tileLayer = null;
    this.tileUrl = null;
    this.tileFailed = false;
    var self = this;
    ["dragstart", "zoomstart"].forEach(function (name) {
      self.map.on(name, function () { if (!self.fitting) self.userMoved = true; });
    });
    if (global.ResizeObserver) {
      new ResizeObserver(function () { self.resized(); }).observe(this.mapBox);
    }
    global.addEventListener("resize", function () { self.layout(); });
  }

  // The map's height follows its view's shape (a wide national view gets no empty band above and
  // below), capped by the spec's height; on a narrow screen the legend goes below the map.
  MapView.prototype.layout = function () {
    var spec = this.spec || {};
    var width = this.root.clientWidth || global.innerWidth || 800;
    var narrow = width < 700;
    this.root.classList.toggle("mc-narrow", narrow);
    var desired = spec.height || 560;
    var mapWidth = this.mapBox.clientWidth || width;
    var height = desired;
    if (spec.view) height = Math.min(desired, Math.max(240, Math.round(mapWidth * viewRatio(spec.view.bounds)) + 30));
    if (this.mapBox.style.height !== height + "px") this.mapBox.style.height = height + "px";
    this.onSize(this.root.scrollHeight);
  };

  MapView.prototype.resized = function () {
    if (!this.mapBox.clientWidth || !this.mapBox.clientHeight) return;
    this.map.invalidateSize({animate: false});
    if (this.spec && (this.fittedKey !== this.spec.view.key || !this.userMoved)) this.fit(this.spec.view);
  };

  MapView.prototype.fit = function (view) {
    if (!this.mapBox.clientWidth || !this.mapBox.clientHeight) return;  // hidden (a closed tab): fit when shown
    this.fitting = true;
    try {
      this.map.fitBounds(view.bounds, {padding: [14, 14], animate: false});
    } finally {
      this.fitting = false;
    }
    this.fittedKey = view.key;
    this.userMoved = false;
  };

  MapView.prototype.render = function (spec) {
    var self = this, token = ++this.token;
    this.received = Date.now();
    this.startFrames(spec);
    this.spec = spec;
    this.layout();
    var areaFiles = spec.areas.files, outlineFiles = spec.outlines.files;
    return Promise.all([loadAll(this.base, areaFiles), loadAll(this.base, outlineFiles)]).then(function (geo) {
      if (token !== self.token) return;  // a newer spec arrived while this one loaded
      self.draw(spec, geo[0], geo[1]);
    }).catch(function (err) {
      if (token !== self.token) return;
      self.showEmpty((words(spec).failed || "") + " " + (err && err.message ? err.message : err));
      if (global.console) console.error(err);
    });
  };

  MapView.prototype.draw = function (spec, areaFeatures, outlineFeatures) {
    if (words(spec).lang) document.documentElement.lang = words(spec).lang;
    this.drawTiles(spec.tiles);
    this.drawAreas(spec, areaFeatures);
    this.drawOutlines(spec, outlineFeatures);
    this.drawLaw(spec, outlineFeatures);
    this.drawMarkers(spec.markers || {});
    this.drawLegend(spec);
    this.showEmpty(spec.empty || "");
    var attribution = this.attributionText(spec);
    if (attribution !== this.attribution) {
      if (this.attribution) this.map.attributionControl.removeAttribution(this.attribution);
      this.map.attributionControl.addAttribution(attribution);
      this.attribution = attribution;
    }
    if (this.fittedKey !== spec.view.key) this.fit(spec.view);
    this.layout();
    var self = this;
    requestAnimationFrame(function () {
      self.renders += 1;
      global.mapcoreRendered = {count: self.renders, at: Date.now(), received: self.received, key: spec.view.key};
      self.root.setAttribute("data-renders", String(self.renders));
    });
  };

  // Attribution text is escaped by hand: Leaflet puts attributions in the page as HTML.
  MapView.prototype.attributionText = function (spec) {
    var parts = [spec.attribution || ""];
    if (spec.tiles && !this.tileFailed) parts.push(spec.tiles.attribution || "");
    var div = document.createElement("div");
    div.textContent = parts.filter(Boolean).join(" · ");
    return div.innerHTML;
  };

  MapView.prototype.drawTiles = function (tiles) {
    var url = tiles && isHttp(tiles.url.replace(/[{}]/g, "")) ? tiles.url : null;
    if (url === this.tileUrl) return;
    if (this.tileLayer) { this.map.removeLayer(this.tileLayer); this.tileLayer = null; }
    this.tileUrl = url;
    this.tileFailed = false;
    if (!url) return;
    var self = this;
    this.tileLayer = L.tileLayer(url, {opacity: tiles.opacity || 0.45, maxZoom: 18, crossOrigin: false});
    this.tileLayer.on("tileerror", function () {
      if (self.tileFailed) return;
      self.tileFailed = true;
      if (self.spec) self.drawLegend(self.spec);
      self.map.removeLayer(self.tileLayer);
    });
    this.tileLayer.addTo(this.map);
    this.tileLayer.bringToBack();
  };

  MapView.prototype.inFocus = function (feature) {
    var focus = this.spec.areas.focus;
    return !focus || !focus.length || focus.indexOf(feature.properties.group) >= 0;
  };

  MapView.prototype.areaStyle = function (feature) {
    var a = this.spec.areas, v = a.values[feature.properties.id];
    if (!this.inFocus(feature)) {
      return {fillColor: a.empty, fillOpacity: 0.12, color: "#aaa", weight: a.weight, className: "mapcore-area"};
    }
    var has = v && v[0] >= 0 && v[0] < a.palette.length;
    return {fillColor: has ? a.palette[v[0]] : a.empty, fillOpacity: has ? 0.85 : 0.35, color: "#777",
            weight: a.weight, className: "mapcore-area"};
  };

  // A place's name: the geometry's (English) label, or the spec's in the reader's language (state names).
  MapView.prototype.placeLabel = function (props) {
    var labels = this.spec.areas.labels || {};
    return Object.prototype.hasOwnProperty.call(labels, props.id) ? labels[props.id] : props.label;
  };

  MapView.prototype.areaTip = function (layer) {
    var spec = this.spec, props = layer.feature.properties, v = spec.areas.values[props.id];
    var label = this.placeLabel(props);
    if (!this.inFocus(layer.feature)) return tipBox(label, [words(spec).outside || ""]);
    var lines = v ? v.slice(1) : [spec.areas.none || ""];
    var extra = [];
    var law = spec.law && spec.law.states[props.group];
    if (law) extra.push((words(spec).state_law || "") + " " + law.t[0]);
    return tipBox(label, lines, extra);
  };

  // A touch screen's one box for a tapped place: its lines, then its state's law and source, kept inside the map.
  MapView.prototype.tapBox = function (layer, latlng) {
    var spec = this.spec, law = spec.law && spec.law.states[layer.feature.properties.group];
    var box = this.areaTip(layer);
    if (law && this.inFocus(layer.feature)) {
      law.t.slice(1).forEach(function (line) { el("div", "mc-tip-law", line, box); });
      this.sourceLink(law, box);
    }
    this.openBox(box, latlng);
  };

  MapView.prototype.sourceLink = function (law, box) {
    if (!isHttp(law.src)) return;
    var a = el("a", "mc-tip-source", words(this.spec).source || "", box);
    a.href = law.src;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  };

  // A popup no wider than the map allows, panned into view: it never runs past the map's edge.
  MapView.prototype.openBox = function (box, latlng) {
    var width = Math.max(160, Math.min(320, (this.mapBox.clientWidth || 320) - 48));
    L.popup({maxWidth: width, minWidth: Math.min(180, width), autoPanPadding: [8, 8], keepInView: true,
             className: "mapcore-popup"}).setLatLng(latlng).setContent(box).openOn(this.map);
  };

  MapView.prototype.drawAreas = function (spec, features) {
    var self = this, files = spec.areas.files.join("|");
    if (this.drawn.areas !== files) {
      if (this.layers.areas) this.map.removeLayer(this.layers.areas);
      this.layers.areas = L.geoJSON({type: "FeatureCollection", features: features}, {
        style: function (f) { return self.areaStyle(f); },
        onEachFeature: function (f, layer) {
          if (TOUCH) {  // no hover: a tap shows one box (no tooltip under a popup)
            layer.on("click", function (e) { self.tapBox(layer, e.latlng); });
            return;
          }
          layer.bindTooltip(function (l) { return self.areaTip(l); }, {sticky: true, className: "mapcore-tip"});
          layer.on("mouseover", function () { layer.setStyle({weight: 2, color: "#000"}); });
          layer.on("mouseout", function () { layer.setStyle(self.areaStyle(f)); });
          layer.on("click", function (e) { self.lawPopup(f.properties.group, e.latlng); });
        }
      }).addTo(this.map);
      this.drawn.areas = files;
    } else {
      this.layers.areas.setStyle(function (f) { return self.areaStyle(f); });
    }
  };

  MapView.prototype.drawOutlines = function (spec, features) {
    var files = spec.outlines.files.join("|");
    if (this.drawn.outlines === files) { this.layers.outlines.bringToFront(); return; }
    if (this.layers.outlines) this.map.removeLayer(this.layers.outlines);
    this.layers.outlines = L.geoJSON({type: "FeatureCollection", features: features}, {
      style: function () { return {color: "#444", weight: 0.9, fill: false, className: "mapcore-outline"}; },
      interactive: false,
      onEachFeature: function (f, layer) {
        layer.on("add", function () { if (layer._path) layer._path.id = "mc-outline-" + f.properties.id; });
      }
    }).addTo(this.map);
    this.layers.outlines.eachLayer(function (layer) {
      if (layer._path) layer._path.id = "mc-outline-" + layer.feature.properties.id;
    });
    this.drawn.outlines = files;
  };

  // The law band: a thick stroke on each state's border clipped to the inside of the state, so two
  // neighbours' bands sit side by side and the county fill inside stays visible.
  MapView.prototype.drawLaw = function (spec, outlineFeatures) {
    var law = spec.law;
    var focus = spec.areas.focus || [];
    var signature = law ? spec.outlines.files.join("|") + focus.join(",") + JSON.stringify(law.states) : "";
    if (signature === this.drawn.law) return;
    if (this.layers.law) { this.map.removeLayer(this.layers.law); this.layers.law = null; }
    this.drawn.law = signature;
    if (!law) return;
    var svgRenderer = this.map.getRenderer(this.layers.outlines);
    var defs = this.defs(svgRenderer);
    while (defs.firstChild) defs.removeChild(defs.firstChild);
    var features = outlineFeatures.filter(function (f) {
      var entry = law.states[f.properties.id];
      if (focus.length && focus.indexOf(f.properties.id) < 0) return false;
      return entry && (law.colors[entry.s] || entry.u);
    });
    this.layers.law = L.geoJSON({type: "FeatureCollection", features: features}, {
      interactive: false,
      style: function (f) {
        var entry = law.states[f.properties.id];
        var color = law.colors[entry.s] || law.unconfirmedColor;
        return {color: color, weight: 7, opacity: 0.95, fill: false, dashArray: entry.u ? law.dash : null,
                lineCap: "butt", className: "mapcore-law" + (entry.u ? " mapcore-unconfirmed" : "")};
      }
    }).addTo(this.map);
    var svgNS = "http://www.w3.org/2000/svg";
    this.layers.law.eachLayer(function (layer) {
      var id = layer.feature.properties.id;
      if (!layer._path || !document.getElementById("mc-outline-" + id)) return;
      var clip = document.createElementNS(svgNS, "clipPath");
      clip.setAttribute("id", "mc-clip-" + id);
      var use = document.createElementNS(svgNS, "use");
      use.setAttribute("href", "#mc-outline-" + id);
      clip.appendChild(use);
      defs.appendChild(clip);
      layer._path.setAttribute("clip-path", "url(#mc-clip-" + id + ")");
      layer._path.setAttribute("data-state", id);
    });
    this.layers.outlines.bringToFront();
  };

  MapView.prototype.defs = function (renderer) {
    var svg = renderer && renderer._container;
    var defs = svg.querySelector("defs.mc-defs");
    if (!defs) {
      defs = document.createElementNS("http://www.w3.org/2000/svg", "defs");
      defs.setAttribute("class", "mc-defs");
      svg.insertBefore(defs, svg.firstChild);
    }
    return defs;
  };

  MapView.prototype.lawPopup = function (state, latlng) {
    var law = this.spec && this.spec.law && this.spec.law.states[state];
    if (!law) return;
    var box = tipBox(filled(words(this.spec).law_title, {state: law.n || state}), law.t);
    this.sourceLink(law, box);
    this.openBox(box, latlng);
  };

  MapView.prototype.drawMarkers = function (markers) {
    var group = this.layers.markers;
    group.clearLayers();
    (markers.statewide || []).forEach(function (m) {
      var icon = L.divIcon({className: "mapcore-statewide", html: el("div", "mc-diamond"), iconSize: [16, 16],
                            iconAnchor: [8, 8]});
      L.marker([m[0], m[1]], {icon: icon, keyboard: false})
        .bindTooltip(tipBox(m[2], m.slice(3)), {className: "mapcore-tip", direction: "top"}).addTo(group);
    });
    (markers.pending || []).forEach(function (m) {
      L.circleMarker([m[0], m[1]], {radius: 6, color: "#d95f02", weight: 2.5, fill: false, className: "mapcore-pending"})
        .bindTooltip(tipBox(m[2], m.slice(3)), {className: "mapcore-tip", sticky: true}).addTo(group);
    });
  };

  // ---------------------------------------------------------------------------------------------
  // Frames (the spread over time): spec.frames = [{label, note, values}], one per publication. The
  // geometry is drawn once; a frame swaps spec.areas.values and restyles the drawn places, exactly as
  // a filter change does. The slider keeps its place across reruns that send the same frames.

  MapView.prototype.startFrames = function (spec) {
    var frames = spec.frames || [];
    var signature = frames.map(function (f) { return f.label; }).join("|") + "#" + (spec.view ? spec.view.key : "");
    if (!frames.length) { this.stop(); this.frameSignature = ""; return; }
    if (signature !== this.frameSignature) {
      this.stop();
      this.frameSignature = signature;
      this.frameIndex = Math.max(0, Math.min(frames.length - 1, spec.frame === undefined ? frames.length - 1 : spec.frame));
    }
    spec.areas.values = frames[this.frameIndex].values;
  };

  MapView.prototype.setFrame = function (index) {
    var spec = this.spec, frames = spec && spec.frames;
    if (!frames || !frames.length) return;
    index = Math.max(0, Math.min(frames.length - 1, index | 0));
    this.frameIndex = index;
    spec.areas.values = frames[index].values;
    var self = this;
    if (this.layers.areas) this.layers.areas.setStyle(function (f) { return self.areaStyle(f); });
    this.showFrame();
  };

  MapView.prototype.showFrame = function () {
    var c = this.frameControl, frame = this.spec.frames[this.frameIndex];
    if (!c) return;
    c.date.textContent = frame.label;
    c.note.textContent = frame.note || "";
    c.slider.value = String(this.frameIndex);
    c.slider.setAttribute("aria-valuetext", frame.label);
    var w = words(this.spec);  // the reader's language, from Python (mapcore.render.maps.web_texts)
    c.play.textContent = this.timer ? "\u275A\u275A " + (w.pause || "") : "\u25B6 " + (w.play || "");
    c.play.setAttribute("aria-pressed", this.timer ? "true" : "false");
    this.root.setAttribute("data-frame", frame.label);
    global.mapcoreFrame = {index: this.frameIndex, label: frame.label};
  };

  MapView.prototype.play = function () {
    var self = this, frames = this.spec.frames;
    if (this.timer) { this.stop(); return; }
    if (this.frameIndex >= frames.length - 1) this.setFrame(0);
    this.timer = global.setInterval(function () {
      if (self.frameIndex >= self.spec.frames.length - 1) { self.stop(); return; }
      self.setFrame(self.frameIndex + 1);
    }, this.spec.frameMs || 800);
    this.showFrame();
  };

  MapView.prototype.stop = function () {
    if (this.timer) { global.clearInterval(this.timer); this.timer = null; }
    if (this.frameControl && this.spec && this.spec.frames) this.showFrame();
  };

  MapView.prototype.drawFrameControl = function (spec, side) {
    var self = this, box = el("div", "mc-legend mc-frames", null, side);
    el("div", "mc-legend-title", spec.frameTitle || "", box);
    var date = el("div", "mc-frame-date", null, box);
    var note = el("div", "mc-frame-note", null, box);
    var row = el("div", "mc-frame-row", null, box);
    var play = el("button", "mc-frame-play", null, row);
    play.type = "button";
    play.addEventListener("click", function () { self.play(); });
    var slider = el("input", "mc-frame-slider", null, row);
    slider.type = "range";
    slider.min = "0";
    slider.max = String(spec.frames.length - 1);
    slider.step = "1";
    slider.setAttribute("aria-label", words(this.spec).slider || "");
    slider.addEventListener("input", function () {
      var index = parseInt(slider.value, 10);  // read first: stopping the player redraws the control
      self.stop();
      self.setFrame(index);
    });
    var ends = el("div", "mc-frame-ends", null, box);
    el("span", null, spec.frames[0].label, ends);
    el("span", null, spec.frames[spec.frames.length - 1].label, ends);
    this.frameControl = {date: date, note: note, slider: slider, play: play};
    this.showFrame();
  };

  MapView.prototype.drawLegend = function (spec) {
    var side = this.side;
    while (side.firstChild) side.removeChild(side.firstChild);
    this.frameControl = null;
    if (spec.frames && spec.frames.length) this.drawFrameControl(spec, side);
    (spec.legends || []).forEach(function (section) {
      var box = el("div", "mc-legend mapcore-legend", null, side);
      el("div", "mc-legend-title", section.title, box);
      (section.items || []).forEach(function (item) {
        var row = el("div", "mc-legend-row", null, box);
        var key = el("span", "mc-key", null, row);
        if (item.fill) { key.classList.add("mc-key-fill"); key.style.background = item.fill; }
        else if (item.diamond) { key.classList.add("mc-key-diamond"); }
        else if (item.circle) { key.classList.add("mc-key-circle"); key.style.borderColor = item.circle; }
        else if ("band" in item) {
          key.classList.add("mc-key-band");
          if (item.band) key.style.borderColor = item.band; else key.classList.add("mc-key-noband");
          if (item.dash) key.classList.add("mc-key-dashed");
        }
        el("span", "mc-legend-label", TOUCH && item.touch ? item.touch : item.label, row);
      });
      (section.notes || []).forEach(function (note) { el("div", "mc-legend-note", note, box); });
    });
    var note = null;
    var w = words(spec);  // the reader's language, from Python (mapcore.render.maps.web_texts)
    if (!spec.tiles && !spec.embed) note = w.tiles_off || null;
    else if (this.tileFailed) note = w.tiles_failed || null;
    if (note) el("div", "mc-tiles-note", note, side);
    this.layout();
  };

  MapView.prototype.showEmpty = function (text) {
    this.emptyBox.textContent = text || "";
    this.emptyBox.style.display = text ? "block" : "none";
  };

  // ---------------------------------------------------------------------------------------------
  // Inside a Streamlit component iframe: the component protocol, by hand (no build step).

  function post(type, data) {
    var msg = data || {};
    msg.isStreamlitMessage = true;
    msg.type = type;
    global.parent.postMessage(msg, "*");
  }

  function streamlit(root) {
    var lastHeight = 0;
    var view = new MapView(root, {
      base: "geo/",
      onSize: function (h) {
        h = Math.ceil(h);
        if (h && h !== lastHeight) { lastHeight = h; post("streamlit:setFrameHeight", {height: h}); }
      }
    });
    global.mapcoreView = view;
    global.mapcoreMap = view.map;
    global.addEventListener("message", function (event) {
      if (event.source !== global.parent) return;
      var data = event.data;
      if (!data || data.type !== "streamlit:render" || !data.args || !data.args.spec) return;
      var spec = typeof data.args.spec === "string" ? JSON.parse(data.args.spec) : data.args.spec;
      view.render(spec);
    });
    post("streamlit:componentReady", {apiVersion: 1});
    return view;
  }

  // A self-contained page: the spec and geometry are inline (see mapcore.render.webmap.standalone_html).
  function standalone(root) {
    var spec = JSON.parse(document.getElementById("mapcore-spec").textContent);
    global.MAPCORE_INLINE_GEOMETRY = JSON.parse(document.getElementById("mapcore-geometry").textContent);
    var view = new MapView(root, {base: ""});
    global.mapcoreView = view;
    global.mapcoreMap = view.map;
    view.render(spec);
    return view;
  }

  global.MapcoreView = {MapView: MapView, streamlit: streamlit, standalone: standalone, decode: decode};
})(window);
