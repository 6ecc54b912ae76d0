import type { VerdictTone } from './doorDecision';

/**
 * A sound and a vibration for each verdict, so the controller can keep their eyes on the person:
 * two short high beeps to let in, one low buzz to refuse, a middle tone to look at the screen.
 */
let audio: AudioContext | null = null;

function context(): AudioContext | null {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    return audio;
  } catch {
    return null;
  }
}

function tone(ctx: AudioContext, frequency: number, start: number, duration: number, type: OscillatorType) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + duration + 0.02);
}

const patterns: Record<VerdictTone, { sound: [number, number, number, OscillatorType][]; vibrate: number[] }> = {
  granted: {
    sound: [
      [1175, 0, 0.09, 'sine'],
      [1568, 0.11, 0.12, 'sine'],
    ],
    vibrate: [60],
  },
  review: { sound: [[660, 0, 0.25, 'triangle']], vibrate: [120, 80, 120] },
  refused: { sound: [[196, 0, 0.45, 'square']], vibrate: [300, 100, 300] },
};

export function signalVerdict(t: VerdictTone, { sound = true, vibrate = true } = {}): void {
  const p = patterns[t];
  if (vibrate && typeof navigator !== 'undefined' && 'vibrate' in navigator) {
    try {
      navigator.vibrate(p.vibrate);
    } catch {}
  }
  if (!sound) return;
  const ctx = context();
  if (!ctx) return;
  const now = ctx.currentTime;
  for (const [f, at, d, type] of p.sound) tone(ctx, f, now + at, d, type);
}
