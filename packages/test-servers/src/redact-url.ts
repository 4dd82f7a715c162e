/** What a redacted password is replaced with. */
export const REDACTED = '*****';

/**
 * Returns `url` with every password in it replaced by `*****`, so connection strings can go into
 * error messages and logs. Handles the `user:password@` of a URL, `password=`/`pwd=` query
 * parameters, and ADO.NET-style `Password=…;` strings. Everything else is left byte for byte,
 * which is why this works on the string instead of re-serialising a parsed `URL` (that would
 * re-encode other parts and could not handle strings that are not URLs at all).
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (scheme === null) {
    return url.replace(/(^|;)(\s*(?:password|pwd)\s*=)[^;]*/gi, `$1$2${REDACTED}`);
  }
  const start = scheme[0].length;
  // Like the WHATWG parser: the authority ends at the first '/', '?' or '#', and the userinfo is
  // everything before the authority's last '@'.
  const authorityEnd = indexOfAny(url, '/?#', start);
  const at = url.lastIndexOf('@', authorityEnd - 1);
  let redacted = url;
  if (at >= start) {
    const colon = url.indexOf(':', start);
    if (colon !== -1 && colon < at - 1) {
      redacted = url.slice(0, colon + 1) + REDACTED + url.slice(at);
    }
  }
  return redacted.replace(/([?&;](?:password|pwd)=)[^&;#]*/gi, `$1${REDACTED}`);
}

/** The index of the first of `chars` in `text` at or after `from`, or `text.length`. */
function indexOfAny(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (chars.includes(text.charAt(i))) return i;
  }
  return text.length;
}
