import { schemaProblems } from '../../core/config-validate';
import { CatalogFile, type CatalogModel } from './catalog-schema';
import bundledCatalog from './models.json';

/**
 * The catalog of models, checked against its schema: a broken entry is a clear error naming
 * the model and the field, not a wrong recommendation later.
 */
export function loadCatalog(data: unknown = bundledCatalog): CatalogModel[] {
  const problems = schemaProblems(CatalogFile, data, 'catalog');
  if (problems.length > 0) throw new Error(`the model catalog is invalid:\n  - ${problems.join('\n  - ')}`);
  const models = (data as CatalogFile).models;
  const ids = new Set<string>();
  for (const model of models) {
    if (ids.has(model.id)) throw new Error(`the model catalog lists "${model.id}" twice`);
    ids.add(model.id);
  }
  return models;
}
