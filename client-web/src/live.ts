/**
 * The "live" toggle: with it on, the text box is spoken while it is typed or pasted. The first edit opens a text
 * stream (SynthesizeTextStream) with the whole text so far; every later edit that extends the text sends only what
 * was added (edits inside the already-sent text are not taken back: it may already be spoken). The stream ends, and
 * the rest is spoken, when the toggle is turned off, the box loses focus, or Ctrl/Cmd+Enter is pressed.
 */
import { Subject, type ISubscription, type IStreamSubscriber } from '@microsoft/signalr';
import { byId } from './dom';
import type { SynthesisParameters } from './params';
import type { SynthesisController } from './synthesis';

/**
 * A Subject that keeps what is written before anyone subscribes. SignalR subscribes to a stream argument only when
 * the invocation starts, after the connection and the audio context are ready; SignalR's own Subject drops items
 * (and the completion) sent before that, which lost the letters typed meanwhile ("Live typing" arrived as "Lyping").
 */
export class BufferedSubject<T> extends Subject<T> {
  private early: T[] | null = [];
  private completedEarly = false;

  override next(item: T): void {
    if (this.early) this.early.push(item);
    else super.next(item);
  }

  override complete(): void {
    if (this.early) this.completedEarly = true;
    else super.complete();
  }

  override subscribe(observer: IStreamSubscriber<T>): ISubscription<T> {
    const subscription = super.subscribe(observer);
    const early = this.early;
    if (early) {
      this.early = null;
      for (const item of early) super.next(item);
      if (this.completedEarly) super.complete();
    }
    return subscription;
  }
}

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
      this.text = new BufferedSubject<string>();
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
