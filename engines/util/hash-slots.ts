/**
 * The slots of an open-addressing hash table over typed arrays (linear probing, power-of-two size): each
 * slot holds an entry number + 1 (0 is free) and the entry's 32-bit hash. Subclasses keep the entries and
 * probe `slots` and `hashes` themselves; `grow` doubles the table and places every slot again. For many
 * short-lived strings this costs a fraction of a `Map` of as many entries.
 */
export abstract class HashSlots {
  protected slots: Int32Array;
  protected hashes: Int32Array;

  protected constructor(size: number) {
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
  }

  protected grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] === 0) continue;
      let p = hashes[i] & mask;
      while (this.slots[p] !== 0) p = (p + 1) & mask;
      this.slots[p] = slots[i];
      this.hashes[p] = hashes[i];
    }
  }
}
