// Petri and Bloom sometimes store Python reprs where JSON was meant: Petri coerces each seed to
// `str(item)`, so a transcript's `seed_instruction` is `"{'id': 'aw-01', 'input': \"...\"}"`.
// This reads the literals such a repr holds (dicts, lists, tuples, strings, numbers, True, False,
// None), nothing else: it evaluates nothing.

/** The value of a Python literal repr, or undefined when the text is not one. */
export function parsePythonLiteral(text: string): unknown {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(`not a Python literal at ${i}`);
  };
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (): unknown => {
    space();
    const c = text[i];
    if (c === '{') return collection('}', true);
    if (c === '[') return collection(']', false);
    if (c === '(') return collection(')', false);
    if (c === "'" || c === '"') return string();
    const word = /^(True|False|None|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!word) return fail();
    i += word[0].length;
    return word[0] === 'True' ? true : word[0] === 'False' ? false : word[0] === 'None' ? null : Number(word[0]);
  };
  const collection = (close: string, isDict: boolean): unknown => {
    i++;
    const list: unknown[] = [];
    const dict: Record<string, unknown> = {};
    for (;;) {
      space();
      if (text[i] === close) break;
      const key = value();
      if (isDict) {
        space();
        if (text[i] !== ':') fail();
        i++;
        dict[String(key)] = value();
      } else list.push(key);
      space();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail();
    }
    i++;
    return isDict ? dict : list;
  };
  const string = (): string => {
    const quote = text[i]!;
    i++;
    let out = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\') {
        const e = text[i + 1]!;
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'x' || e === 'u' || e === 'U') {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + len), 16));
          i += 2 + len;
        } else {
          out += '\\';
          i++;
        }
      } else out += text[i++];
    }
    if (text[i] !== quote) fail();
    i++;
    return out;
  };
  try {
    const out = value();
    space();
    return i === text.length ? out : undefined;
  } catch {
    return undefined;
  }
}
