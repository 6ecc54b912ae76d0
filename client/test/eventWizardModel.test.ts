import { describe, expect, it } from 'vitest';
import { checkChosenFile, checkStep, emptyForm, parseSettings, toEventInput } from '../src/events/eventWizardModel';

const pdfBytes = new TextEncoder().encode('%PDF-1.4\n% a programme\n%%EOF\n');
const pngBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);

describe('event wizard steps', () => {
  it('needs a name, valid dates in order and a real map link before leaving the details', () => {
    const form = { ...emptyForm(), name: '  ', locationUrl: 'not a url' };
    form.endsAt = form.startsAt;
    expect(checkStep('basics', form)).toEqual({
      name: { problem: 'required' },
      endsAt: { problem: 'endsBeforeStart' },
      locationUrl: { problem: 'badUrl' },
    });
    expect(checkStep('basics', { ...emptyForm(), name: 'Congrès', locationUrl: 'https://maps.example/x' })).toEqual({});
  });

  it('says why advanced settings are refused: invalid JSON (with the parser’s reason) or not an object', () => {
    const bad = checkStep('advanced', { ...emptyForm(), settingsJson: '{"a": 1,' });
    expect(bad.settingsJson?.problem).toBe('invalidJson');
    expect(bad.settingsJson?.detail).toBeTruthy();
    expect(checkStep('advanced', { ...emptyForm(), settingsJson: '[1, 2]' })).toEqual({
      settingsJson: { problem: 'notObject' },
    });
    expect(parseSettings('  ')).toEqual({ ok: true, value: {} });
    expect(checkStep('colour', { ...emptyForm(), primaryColor: 'purple' })).toEqual({
      primaryColor: { problem: 'badColour' },
    });
  });

  it('turns the form into the API input: trimmed, one theme per line without duplicates, categories in metadata', () => {
    const input = toEventInput(
      {
        ...emptyForm(),
        name: ' Journées ',
        themes: 'Cardiologie\n\n IA \nCardiologie',
        categories: 'Médecin\nÉtudiant',
        settingsJson: '{"badgeLayout": "a6"}',
      },
      { source: 'wizard' },
    );
    expect(input).toMatchObject({
      name: 'Journées',
      themes: ['Cardiologie', 'IA'],
      metadata: { source: 'wizard', categories: ['Médecin', 'Étudiant'] },
      settings: { badgeLayout: 'a6' },
      locationUrl: null,
    });
    expect(Date.parse(input.endsAt)).toBeGreaterThan(Date.parse(input.startsAt));
  });
});

describe('files chosen in the wizard', () => {
  it('are judged by their bytes: a PNG renamed .pdf is refused for the programme, a PDF accepted', async () => {
    const disguised = new File([pngBytes], 'programme.pdf', { type: 'application/pdf' });
    expect(await checkChosenFile('programme', disguised, 1024)).toMatchObject({
      ok: false,
      reason: 'wrong_type',
      kind: 'png',
    });
    expect(await checkChosenFile('programme', new File([pdfBytes], 'p.pdf'), 1024)).toEqual({ ok: true, kind: 'pdf' });
    expect(await checkChosenFile('logo', new File([pngBytes], 'logo.png'), 1024)).toEqual({ ok: true, kind: 'png' });
  });

  it('are refused when too large or empty', async () => {
    expect(await checkChosenFile('programme', new File([pdfBytes], 'p.pdf'), 10)).toMatchObject({
      ok: false,
      status: 413,
    });
    expect(await checkChosenFile('guide', new File([], 'g.pdf'), 10)).toMatchObject({ ok: false, reason: 'empty' });
  });
});
