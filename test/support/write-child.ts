/** Child process for the crash-safety test: writes a tree of N files whose content is tagged, atomically. */
import { writeTreeAtomic } from '../../render/write-tree.js';

const [dir, tag, count] = process.argv.slice(2);
const files = new Map<string, string>();
for (let i = 0; i < Number(count); i++) files.set(`d${i % 50}/f${i}.yaml`, `tag: ${tag}\nindex: ${i}\n${'x'.repeat(2000)}\n`);
process.stdout.write('ready\n');
writeTreeAtomic(dir, files);
process.stdout.write('done\n');
