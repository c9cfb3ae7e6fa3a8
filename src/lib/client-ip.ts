const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail expanded), or `undefined`. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const parts = halves.map((half) => (half === "" ? [] : half.split(":")));
  const last = parts[parts.length - 1] as string[];
  const tail = last[last.length - 1];
  if (tail !== undefined && IPV4.test(tail)) {
    const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
    last.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const [head = [], rest = []] = parts;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill("0"), ...rest];
  return groups.every((g) => HEXTET.test(g)) ? groups.map((g) => Number.parseInt(g, 16)) : undefined;
}

/**
 * What a per-address limit counts under: the client's address as Cloudflare's edge reports it
 * (`CF-Connecting-IP`). An IPv6 address counts by its /64, the block one subscriber usually gets
 * and can rotate through at will; an IPv4-mapped IPv6 address counts as its IPv4 address.
 * `undefined` without the header (a request that did not come through the edge, such as a test's).
 *
 * @example clientIpBucket("2001:db8::1") // "2001:db8:0:0::/64"
 */
export function clientIpBucket(header: string | undefined): string | undefined {
  const address = header?.trim().toLowerCase();
  if (!address) return undefined;
  if (IPV4.test(address)) return address;
  const groups = ipv6Groups(address);
  // Not an address: only a request from outside the edge can carry one; it counts as it is.
  if (!groups) return address.slice(0, 64);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = groups.slice(6) as [number, number];
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}
