/**
 * The "live" toggle: with it on, the text box is spoken while it is typed or pasted. The first edit opens a text
 * stream (SynthesizeTextStream) with the whole text so far; every later edit that extends the text sends only what
 * was added (edits inside the already-sent text are not taken back: it may already be spoken). The stream ends, and
 * the rest is spoken, when the toggle is turned off, the box loses focus, or Ctrl/Cmd+Enter is pressed.
 */
import { Subject } from '@microsoft/signalr';
import { byId } from './dom';
import type { SynthesisParameters } from './params';
import type { SynthesisController } from './synthesis';

export class LiveTyping {
  private text: Subject<string> | null = null;
  private sent = '';

  constructor(
    private readonly synthesis: SynthesisController,
    private readonly parameters: () => SynthesisParameters,
  ) {}

  /** Listens to the text box and the toggle. */
  wire(): void {
    const box = byId<HTMLTextAreaElement>('text');
    const toggle = byId<HTMLInputElement>('live');
    box.addEventListener('input', () => {
      if (toggle.checked) this.onEdit(box.value);
    });
    box.addEventListener('blur', () => this.end());
    toggle.addEventListener('change', () => {
      if (!toggle.checked) this.end();
    });
  }

  get active(): boolean {
    return this.text !== null;
  }

  /** Ends the text: what is left is spoken, then the stream completes. */
  end(): void {
    this.text?.complete();
    this.text = null;
    this.sent = '';
  }

  private onEdit(value: string): void {
    if (this.text && !this.synthesis.busy) {
      this.end(); // the stream ended on the server (error, cancel): the next edit starts a new one
    }
    if (!this.text) {
      if (this.synthesis.busy || value.trim() === '') return;
      this.text = new Subject<string>();
      this.sent = value;
      void this.synthesis.start(value, this.parameters(), this.text);
      return;
    }
    if (value.startsWith(this.sent) && value.length > this.sent.length) {
      this.text.next(value.slice(this.sent.length));
      this.sent = value;
    }
  }
}
