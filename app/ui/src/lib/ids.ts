// Ids for new cases, visits and need updates: 16 random hex digits, as homeward-field makes them.
export function newId(random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  return Array.from(random(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}
