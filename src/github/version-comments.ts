import { IResolver, YamlFile } from 'projen';
import { findPin } from './pinned-actions';

const USES_LINE = /^([ \t]*(?:-[ \t]+)?uses:[ \t]+)([^\s#'"]+)[ \t]*$/gm;

/**
 * Appends `# <version>` to every `uses:` line of a rendered workflow whose value is one of the
 * pinned commits, so a reviewer sees which release a SHA is.
 */
export function addVersionComments(yaml: string): string {
  return yaml.replace(USES_LINE, (line, prefix: string, uses: string) => {
    const pin = findPin(uses);
    return pin ? `${prefix}${uses} # ${pin.version}` : line;
  });
}

interface RendersContent {
  synthesizeContent(resolver: IResolver): string | undefined;
}

const ANNOTATED = new WeakSet<YamlFile>();

/**
 * Makes a workflow file (one of ours or one projen writes) render its pinned `uses:` lines with
 * their version comment. projen's YAML writer has no comment support, so the rendered text is
 * post-processed; the parsed document is unchanged.
 */
export function annotatePinnedVersions(file: YamlFile): void {
  if (ANNOTATED.has(file)) return;
  ANNOTATED.add(file);
  const target = file as unknown as RendersContent;
  const render = target.synthesizeContent.bind(file);
  target.synthesizeContent = (resolver: IResolver) => {
    const text = render(resolver);
    return text === undefined ? undefined : addVersionComments(text);
  };
}
