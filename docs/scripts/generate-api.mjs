// `npm run api`: rewrites packages/<name>/api.md, the public API listing of every published package,
// from the built declarations (the root script builds first).
import { writeFileSync } from 'node:fs';
import { publicPackages, renderApiListing } from './api-listing.mjs';

for (const pkg of publicPackages()) {
  writeFileSync(pkg.listingPath, renderApiListing(pkg));
  console.log(`wrote the API listing of ${pkg.name}`);
}
