// Builds the site: copies src/ to dist/ (or to the directory given as the
// first argument). There is no bundler; add one here if the site outgrows
// plain files. Fails when src/index.html is missing.
import { access, cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

export async function build({
  srcDir = path.join(root, 'src'),
  outDir = path.join(root, 'dist'),
} = {}) {
  srcDir = path.resolve(srcDir);
  outDir = path.resolve(outDir);

  const index = path.join(srcDir, 'index.html');
  try {
    await access(index);
  } catch {
    throw new Error(`${index} is missing: nothing to build`);
  }

  // outDir is deleted first, so it must not be, or hold, the sources or the
  // project itself.
  for (const keep of [srcDir, root]) {
    if (keep === outDir || keep.startsWith(outDir + path.sep)) {
      throw new Error(`refusing to build into ${outDir}: it contains ${keep}`);
    }
  }

  await rm(outDir, { recursive: true, force: true });
  await cp(srcDir, outDir, { recursive: true });
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  try {
    const built = await build({ outDir });
    console.log(`Built ${path.relative(process.cwd(), built) || built}`);
  } catch (err) {
    console.error(`Build failed: ${err.message}`);
    process.exitCode = 1;
  }
}
