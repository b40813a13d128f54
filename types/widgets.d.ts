// TypeScript declarations of `import "bn-wasm/widgets"`: importing the module
// defines the custom elements <bn-stepper> and <bn-trainer> (their attributes:
// docs/widgets.md). Its exports are the element classes and the one
// WebAssembly instance that every stepper on the page shares.
import type { BN } from "./bn.js";

/** <bn-stepper batch="4" features="2" data="1,2;3,5;2,0;4,1">: batch norm of one minibatch, step by step. */
export declare class BnStepperElement extends HTMLElement {
  static readonly observedAttributes: string[];
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(): void;
}

/** <bn-trainer dataset="spiral" lr="1">: two networks trained live, with and without batch norm. */
export declare class BnTrainerElement extends HTMLElement {
  static readonly observedAttributes: string[];
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(): void;
}

/** The page's one main-thread instance (what the steppers use). */
export declare function sharedBN(): Promise<BN>;

declare global {
  interface HTMLElementTagNameMap {
    "bn-stepper": BnStepperElement;
    "bn-trainer": BnTrainerElement;
  }
}
