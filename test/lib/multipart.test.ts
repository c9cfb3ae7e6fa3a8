import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundaryOf, MultipartError, readMultipart } from "../../src/lib/multipart";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A stream of `bytes` cut at `cuts`. */
function streamOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort((a, b) => a - b);
  return new ReadableStream({
    start(controller) {
      for (let i = 1; i < points.length; i++) controller.enqueue(bytes.slice(points[i - 1], points[i]));
      controller.close();
    },
  });
}

async function partsOf(body: Uint8Array, boundary: string, cuts: number[] = []) {
  const parts: { name: string; filename?: string; text: string }[] = [];
  let chunks: Uint8Array[] = [];
  await readMultipart(streamOf(body, cuts), boundary, {
    part: (h) => {
      parts.push({ name: h.name, filename: h.filename, text: "" });
      chunks = [];
    },
    data: (bytes) => {
      chunks.push(bytes.slice());
    },
    partEnd: () => {
      const part = parts[parts.length - 1];
      if (part) part.text = chunks.map((c) => decoder.decode(c, { stream: true })).join("") + decoder.decode();
    },
  });
  return parts;
}

describe("the multipart reader", () => {
  it("reads what Request makes of a FormData, cut anywhere, a file holding delimiter look-alikes", async () => {
    const file = "a,b\r\n--not-the-boundary\r\n\r\n--\r\nc,d\r\n";
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), async (cuts) => {
        const form = new FormData();
        form.set("hasHeaderRow", "true");
        form.set("file", new File([file], "contacts.csv", { type: "text/csv" }));
        const request = new Request("http://x/", { method: "POST", body: form });
        const boundary = boundaryOf(request.headers.get("content-type")) as string;
        const body = new Uint8Array(await request.arrayBuffer());
        expect(await partsOf(body, boundary, cuts)).toEqual([
          { name: "hasHeaderRow", filename: undefined, text: "true" },
          { name: "file", filename: "contacts.csv", text: file },
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it("finds the boundary of a Content-Type, quoted or not, and refuses other types", () => {
    expect(boundaryOf("multipart/form-data; boundary=abc")).toBe("abc");
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe("a b");
    expect(boundaryOf("application/json")).toBeUndefined();
    expect(boundaryOf("multipart/form-data")).toBeUndefined();
  });

  it("refuses a body that ends inside a part or has no boundary", async () => {
    const cut = encoder.encode('--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc');
    await expect(partsOf(cut, "b")).rejects.toBeInstanceOf(MultipartError);
    await expect(partsOf(encoder.encode("just text"), "b")).rejects.toBeInstanceOf(MultipartError);
  });
});
