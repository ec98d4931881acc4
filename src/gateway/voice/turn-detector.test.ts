import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SentenceSplitter } from './sentence-splitter.js';
import { TurnDetector, type TurnEvent } from './turn-detector.js';

/** Feeds a pattern of 20 ms frames ('#' speech, '.' silence); returns the events with their frame index. */
function feed(detector: TurnDetector, pattern: string): Array<TurnEvent & { frame: number }> {
  const events: Array<TurnEvent & { frame: number }> = [];
  [...pattern].forEach((frame, index) => {
    const event = detector.push(frame === '#');
    if (event !== null) events.push({ ...event, frame: index });
  });
  return events;
}

describe('TurnDetector', () => {
  it('ignores a click or a cough of two frames', () => {
    assert.deepEqual(feed(new TurnDetector(800), '.....##.....##......'), []);
  });

  it('starts at the first speech frame and ends after silence_ms of silence', () => {
    const events = feed(new TurnDetector(200), `${'.'.repeat(10)}${'#'.repeat(20)}${'.'.repeat(12)}`);
    assert.deepEqual(events.map((event) => event.type), ['speech_started', 'speech_stopped']);
    assert.equal(events[0]?.type === 'speech_started' && events[0].audio_start_ms, 200);
    const stopped = events[1];
    assert.ok(stopped?.type === 'speech_stopped');
    assert.equal(stopped.audio_end_ms, 600);
    assert.equal(stopped.trailing_silence_ms, 200);
    assert.equal(stopped.frame, 39, 'ten silent frames after the last speech frame');
  });

  it("counts the detector's hangover as silence: the turn ends silence_ms after speech ended", () => {
    // the detector still says speech for 5 frames (100 ms) after the speech: they count toward the 300 ms
    const events = feed(new TurnDetector(300, 100), `${'#'.repeat(20)}${'.'.repeat(12)}`);
    const stopped = events[1];
    assert.ok(stopped?.type === 'speech_stopped');
    assert.equal(stopped.frame, 29, '10 silent frames (200 ms) after the hangover');
    assert.equal(stopped.trailing_silence_ms, 300);
    assert.equal(stopped.audio_end_ms, 300, 'speech ended where the hangover began');
  });

  it('waits longer after a pause that sounds unfinished', () => {
    const detector = new TurnDetector(400);
    feed(detector, '#'.repeat(10));
    detector.partialTranscript = 'I chose Postgres because';
    assert.equal(detector.endOfTurnSilenceMs, 1500);
    assert.deepEqual(feed(detector, '.'.repeat(40)), [], 'no end after 800 ms');
    detector.partialTranscript = 'I chose Postgres.';
    assert.equal(detector.endOfTurnSilenceMs, 400);
    detector.partialTranscript = '我选择了它，然后';
    assert.equal(detector.endOfTurnSilenceMs, 1500);
  });
});

describe('SentenceSplitter', () => {
  it('gives each sentence as soon as it is complete, and the rest at the end', () => {
    const splitter = new SentenceSplitter();
    assert.deepEqual(splitter.push('Thanks, that is'), []);
    assert.deepEqual(splitter.push(' helpful. Version 3.5 was'), ['Thanks, that is helpful.']);
    assert.deepEqual(splitter.push(' fast! Next'), ['Version 3.5 was fast!']);
    assert.equal(splitter.flush(), 'Next');
  });

  it('cuts Chinese at its own punctuation, with no space after it', () => {
    const splitter = new SentenceSplitter();
    assert.deepEqual(splitter.push('谢谢你的回答。请介绍一下'), ['谢谢你的回答。']);
    assert.deepEqual(splitter.push('你的项目？好'), ['请介绍一下你的项目？']);
    assert.equal(splitter.flush(), '好');
  });
});
