// Scrubbable training (docs/hooks/scrub.py writes the figure and its JSON at build time): a slider over snapshots of
// a run — the generator's points against real ones over the discriminator's output D(x), and the losses up to the
// snapshot's step. Plain canvas drawing; every number comes from the JSON.
//
// JSON: {view: [[x0, x1], [y0, y1]], grid, real: [[x, y]], frames: [{step, fake: [[x, y]], d: base64 of
//        grid×grid bytes (255·D, row 0 at the top)}], loss_step: [...], losses: {d_loss: [...], g_loss: [...]},
//        curve?: [[x, y]], modes?: [[x, y]]}
(function () {
  // Colours come with the data (scrub.py: the site's colour for each meaning, as in its figures).
  const FONT = "12px system-ui, sans-serif";
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

  function shade(v, colors) { // D(x) ∈ [0, 1] → a pale generated tint … white … a pale real tint, as [r, g, b]
    const t = v / 255, a = Math.abs(2 * t - 1) * 0.55;
    const [r, g, b] = rgb(t > 0.5 ? colors.real : colors.generated);
    return [255 + (r - 255) * a, 255 + (g - 255) * a, 255 + (b - 255) * a];
  }

  function setup(canvas, height) { // a canvas as wide as its box, sharp on high-density screens
    const width = canvas.clientWidth, ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = FONT;
    return [ctx, width, height];
  }

  function ticks(lo, hi, n) {
    const step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= n);
    const out = [];
    for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-12; v += nice) out.push(+v.toFixed(10));
    return out;
  }

  function field(canvas, data, frame, surface) {
    const width = canvas.clientWidth;
    const [ctx, w, h] = setup(canvas, Math.min(width, 420) * 0.9);
    const pad = { l: 34, r: 6, t: 6, b: 30 };
    const [[x0, x1], [y0, y1]] = data.view;
    const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r);
    const sy = (y) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
    ctx.drawImage(surface, pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b); // smoothed when scaled up
    ctx.strokeStyle = "#888";
    ctx.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
    ctx.clip();
    if (data.curve) {
      ctx.strokeStyle = data.colors.truth;
      ctx.lineWidth = 1;
      ctx.beginPath();
      data.curve.forEach(([x, y], i) => (i ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
      ctx.stroke();
    }
    for (const [points, colour] of [[frame.fake, data.colors.generated], [data.real, data.colors.real]]) {
      ctx.fillStyle = colour;
      ctx.globalAlpha = 0.55;
      for (const [x, y] of points) ctx.fillRect(sx(x) - 1.5, sy(y) - 1.5, 3, 3);
    }
    ctx.globalAlpha = 1;
    if (data.modes) {
      ctx.strokeStyle = data.colors.truth;
      for (const [x, y] of data.modes) {
        ctx.beginPath();
        ctx.moveTo(sx(x) - 4, sy(y) - 4); ctx.lineTo(sx(x) + 4, sy(y) + 4);
        ctx.moveTo(sx(x) - 4, sy(y) + 4); ctx.lineTo(sx(x) + 4, sy(y) - 4);
        ctx.stroke();
      }
    }
    ctx.restore();
    axes(ctx, { w, h, pad, sx, sy, xs: ticks(x0, x1, 5), ys: ticks(y0, y1, 5), xlabel: "x₁", ylabel: "x₂" });
  }

  function axes(ctx, { w, h, pad, sx, sy, xs, ys, xlabel, ylabel }) { // tick values and axis names
    ctx.fillStyle = "#333";
    ctx.textAlign = "center";
    for (const v of xs) ctx.fillText(String(v), sx(v), h - pad.b + 14);
    ctx.fillText(xlabel, (pad.l + w - pad.r) / 2, h - 2);
    ctx.textAlign = "right";
    for (const v of ys) ctx.fillText(String(v), pad.l - 4, sy(v) + 4);
    ctx.save();
    ctx.translate(10, (pad.t + h - pad.b) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.fillText(ylabel, 0, 0);
    ctx.restore();
  }

  function losses(canvas, data, step) {
    const [ctx, w, h] = setup(canvas, 180);
    const pad = { l: 40, r: 22, t: 8, b: 30 }; // room for the last step's label
    const xs = data.loss_step, last = xs[xs.length - 1];
    const all = Object.values(data.losses).flat();
    const lo = Math.min(0, ...all), hi = Math.max(...all);
    const sx = (x) => pad.l + (x / last) * (w - pad.l - pad.r);
    const sy = (y) => h - pad.b - ((y - lo) / (hi - lo)) * (h - pad.t - pad.b);
    ctx.strokeStyle = "#888";
    ctx.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
    for (const [name, ys] of Object.entries(data.losses)) {
      for (const [part, alpha] of [["after", 0.15], ["before", 1]]) {
        ctx.strokeStyle = data.colors[name];
        ctx.globalAlpha = alpha;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        let started = false;
        xs.forEach((x, i) => {
          if ((part === "before") !== (x <= step)) return;
          started ? ctx.lineTo(sx(x), sy(ys[i])) : ctx.moveTo(sx(x), sy(ys[i]));
          started = true;
        });
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = "#555";
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(sx(step), pad.t);
    ctx.lineTo(sx(step), h - pad.b);
    ctx.stroke();
    ctx.setLineDash([]);
    axes(ctx, { w, h, pad, sx, sy, xs: ticks(0, last, 4), ys: ticks(lo, hi, 4), xlabel: "step", ylabel: "loss (nats)" });
  }

  function surfaces(data) { // each frame's D(x) as a small grid×grid canvas, drawn scaled (and smoothed) later
    return data.frames.map((frame) => {
      const bytes = Uint8Array.from(atob(frame.d), (c) => c.charCodeAt(0));
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = data.grid;
      const ctx = canvas.getContext("2d"), image = ctx.createImageData(data.grid, data.grid);
      bytes.forEach((v, i) => {
        const [r, g, b] = shade(v, data.colors);
        image.data.set([r, g, b, 255], 4 * i);
      });
      ctx.putImageData(image, 0, 0);
      return canvas;
    });
  }

  async function start(figure) {
    const response = await fetch(figure.dataset.src);
    if (!response.ok) throw new Error(`${figure.dataset.src}: HTTP ${response.status}`);
    const data = await response.json(), images = surfaces(data);
    const slider = figure.querySelector("input[type=range]"), label = figure.querySelector("output");
    const play = figure.querySelector(".gc-scrub__play");
    const [fieldCanvas, lossCanvas] = figure.querySelectorAll("canvas");
    let timer = null;
    const draw = () => {
      const i = +slider.value, frame = data.frames[i];
      label.textContent = `step ${frame.step.toLocaleString("en")} of ${data.frames.at(-1).step.toLocaleString("en")}`;
      field(fieldCanvas, data, frame, images[i]);
      losses(lossCanvas, data, frame.step);
    };
    const stop = () => { clearInterval(timer); timer = null; play.textContent = "▶"; play.setAttribute("aria-label", "play"); };
    slider.addEventListener("input", () => { stop(); draw(); });
    play.addEventListener("click", () => {
      if (timer) return stop();
      if (+slider.value === data.frames.length - 1) slider.value = 0;
      play.textContent = "❚❚";
      play.setAttribute("aria-label", "pause");
      draw();
      timer = setInterval(() => {
        if (+slider.value >= data.frames.length - 1) return stop();
        slider.value = +slider.value + 1;
        draw();
      }, 700);
    });
    let drawnAt = null; // redraw when the width changes, and only then (drawing sets the height)
    new ResizeObserver(() => {
      if (fieldCanvas.clientWidth !== drawnAt) {
        drawnAt = fieldCanvas.clientWidth;
        draw();
      }
    }).observe(fieldCanvas);
    figure.classList.add("gc-scrub--ready");
  }

  function init() {
    document.querySelectorAll("figure.gc-scrub:not([data-bound])").forEach((figure) => {
      figure.dataset.bound = "";
      start(figure).catch((error) => {
        figure.querySelector("figcaption").prepend(`(The slider could not load its data: ${error.message}.) `);
      });
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
