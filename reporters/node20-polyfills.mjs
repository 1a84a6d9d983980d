// Loaded with `node --import` in front of the allure CLI (toolchain notes, gotcha G1).
// Node 20 lacks the ES2025 Iterator.prototype helpers; allure@3.18 calls Map#values().toArray()
// (quality-gate, run). Node 22+ has it, and then this file does nothing.
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
if (typeof IteratorPrototype.toArray !== 'function') {
  Object.defineProperty(IteratorPrototype, 'toArray', {
    value: function toArray() {
      return Array.from(this);
    },
    writable: true,
    configurable: true,
  });
}
