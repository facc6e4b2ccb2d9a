/** Live waveform (top half) and spectrum (bottom half) of what the player outputs, drawn on a canvas. */
export class Visualizer {
  private frame = 0;
  private wave: Float32Array<ArrayBuffer> | null = null;
  private spectrum: Uint8Array<ArrayBuffer> | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly analyser: () => AnalyserNode | null,
  ) {}

  start(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(this.draw);
    }
  }

  private readonly draw = (): void => {
    this.frame = requestAnimationFrame(this.draw);
    const canvas = this.canvas;
    const context = canvas.getContext('2d');
    const analyser = this.analyser();
    if (!context) {
      return;
    }
    const width = (canvas.width = canvas.clientWidth * devicePixelRatio || 300);
    const height = (canvas.height = canvas.clientHeight * devicePixelRatio || 120);
    const styles = getComputedStyle(canvas);
    context.clearRect(0, 0, width, height);
    if (!analyser) {
      return;
    }
    if (this.wave?.length !== analyser.fftSize) {
      this.wave = new Float32Array(analyser.fftSize);
      this.spectrum = new Uint8Array(analyser.frequencyBinCount);
    }
    const wave = this.wave;
    const spectrum = this.spectrum ?? new Uint8Array(analyser.frequencyBinCount);
    analyser.getFloatTimeDomainData(wave);
    analyser.getByteFrequencyData(spectrum);

    const half = height / 2;
    context.strokeStyle = styles.getPropertyValue('--wave').trim() || '#2563eb';
    context.lineWidth = Math.max(1, devicePixelRatio);
    context.beginPath();
    for (let i = 0; i < wave.length; i++) {
      const x = (i / (wave.length - 1)) * width;
      const y = half / 2 - wave[i] * (half / 2) * 0.95;
      if (i === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    }
    context.stroke();

    // Spectrum: the lower half of the bins (speech lives there), as bars.
    context.fillStyle = styles.getPropertyValue('--spectrum').trim() || '#16a34a';
    const bins = Math.floor(spectrum.length / 2);
    const barWidth = width / bins;
    for (let i = 0; i < bins; i++) {
      const magnitude = spectrum[i] / 255;
      context.fillRect(i * barWidth, height - magnitude * half, Math.max(1, barWidth - 0.5), magnitude * half);
    }
  };
}
