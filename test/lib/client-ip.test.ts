import { expect, it } from "vitest";
import { clientIpBucket } from "../../src/lib/client-ip";

it("counts an IPv4 address as itself and an IPv6 address by its /64", () => {
  expect(clientIpBucket("203.0.113.7")).toBe("203.0.113.7");
  expect(clientIpBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
  expect(clientIpBucket("2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
  expect(clientIpBucket("2001:db8:0:1:ffff::2")).toBe("2001:db8:0:1::/64");
  expect(clientIpBucket("::1")).toBe("0:0:0:0::/64");
  expect(clientIpBucket("::")).toBe("0:0:0:0::/64");
  expect(clientIpBucket("64:ff9b::192.0.2.33")).toBe("64:ff9b:0:0::/64");
});

it("counts an IPv4-mapped IPv6 address as its IPv4 address", () => {
  expect(clientIpBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
  expect(clientIpBucket("::ffff:cb00:7107")).toBe("203.0.113.7");
});

it("has no bucket without the header, and counts what is not an address as it is", () => {
  expect(clientIpBucket(undefined)).toBeUndefined();
  expect(clientIpBucket("  ")).toBeUndefined();
  expect(clientIpBucket("not-an-address")).toBe("not-an-address");
  expect(clientIpBucket("1:2:3:4:5:6:7:8:9")).toBe("1:2:3:4:5:6:7:8:9");
  expect(clientIpBucket("1::2::3")).toBe("1::2::3");
  expect(clientIpBucket("256.1.1.1")).toBe("256.1.1.1");
});
