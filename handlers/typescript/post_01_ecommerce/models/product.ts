// ANCHOR: product_model
/** A catalogue entry. Prices are integer cents so that totals add up exactly. */
export interface Product {
  readonly id: number;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
  readonly active: boolean;
}
// ANCHOR_END: product_model

// ANCHOR: catalogue
// The in-memory stand-in for a product database. Handlers only read it:
// every run of the workflow starts from the same stock levels.
export const CATALOGUE: readonly Product[] = [
  { id: 1, name: 'Widget A', priceCents: 2999, stock: 100, active: true },
  { id: 2, name: 'Widget B', priceCents: 4999, stock: 50, active: true },
  { id: 3, name: 'Widget C', priceCents: 1999, stock: 25, active: true },
  { id: 4, name: 'Widget D', priceCents: 3999, stock: 0, active: true },
  { id: 5, name: 'Widget E', priceCents: 5999, stock: 10, active: false },
];

export function findProduct(id: unknown): Product | undefined {
  return CATALOGUE.find((product) => product.id === id);
}
// ANCHOR_END: catalogue
