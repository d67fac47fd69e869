import type { ReleaseData, ReleaseListing, ReleaseSource } from "../model/release.js";

/**
 * `--desired-from auto`: Helm's release storage read directly when the reader may list it, else the helm CLI.
 * The first read decides. When the direct source's first read is refused (`isRefusal`: a 403 listing the
 * storage), that read and every later one go to the fallback; otherwise the direct source answers them all.
 * Only a refusal falls back: any other failure (a 500 still there after the retries, a storage that does not
 * answer) is that read's failure, as it is under `--desired-from secrets`, never turned into the helm answer
 * silently.
 */
export class FirstReadableSource<Direct extends ReleaseSource, Fallback extends ReleaseSource>
  implements ReleaseSource
{
  /** Which source answers, once the first read has decided; null before. */
  private decision: Promise<Direct | Fallback> | null = null;
  private decided: Direct | Fallback | null = null;

  constructor(
    private readonly direct: Direct,
    private readonly fallback: Fallback,
    private readonly isRefusal: (error: unknown) => boolean,
  ) {}

  /** The source that answered the reads; null when nothing was read yet. */
  used(): Direct | Fallback | null {
    return this.decided;
  }

  list(namespace: string | null): Promise<ReleaseListing[]> {
    return this.read((source) => source.list(namespace));
  }

  get(name: string, namespace: string): Promise<ReleaseData> {
    return this.read((source) => source.get(name, namespace));
  }

  private async read<T>(read: (source: ReleaseSource) => Promise<T>): Promise<T> {
    if (this.decision !== null) return read(await this.decision);
    const first = read(this.direct);
    this.decision = first.then(
      () => this.direct,
      (error: unknown) => (this.isRefusal(error) ? this.fallback : this.direct),
    );
    this.decided = await this.decision;
    if (this.decided === this.direct) return first;
    return read(this.fallback);
  }
}
