import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeMultipart } from './multipart-body.js';

describe('encodeMultipart', () => {
  it('makes a body that a multipart parser reads back field for field, bytes intact', async () => {
    const audio = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7) % 256));
    const { body, contentType } = encodeMultipart([
      { name: 'file', fileName: 'speech.wav', type: 'audio/wav', data: audio },
      { name: 'model', value: 'whisper-1' },
      { name: 'prompt', value: 'two\nlines\r\nand "quotes"' },
    ]);
    // fetch's own parser (undici), the one a Node server would use for request.formData()
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
    const file = form.get('file');
    assert.ok(file instanceof File);
    assert.equal(file.name, 'speech.wav');
    assert.equal(file.type, 'audio/wav');
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), audio);
    assert.equal(form.get('model'), 'whisper-1');
    assert.equal(form.get('prompt'), 'two\r\nlines\r\nand "quotes"');
  });

  it('escapes names and file names as fetch does for a FormData, so no field can break out of its header', async () => {
    const data = new Uint8Array([1, 2, 3]);
    const fileName = 'a"b\r\nContent-Type: text/evil.wav';
    const ours = encodeMultipart([{ name: 'file', fileName, type: 'audio/wav', data }]);
    const form = new FormData();
    form.append('file', new File([data], fileName, { type: 'audio/wav' }));
    const theirs = await new Response(form).text();
    const header = (text: string) => /Content-Disposition:[^\r]*/.exec(text)?.[0];
    assert.equal(header(ours.body.toString('latin1')), header(theirs));
    assert.equal(header(theirs), 'Content-Disposition: form-data; name="file"; filename="a%22b%0D%0AContent-Type: text/evil.wav"');
  });
});
