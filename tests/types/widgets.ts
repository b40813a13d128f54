// The widgets' declarations (types/widgets.d.ts), as a page script would use them.
import "bn-wasm/widgets";
import { BnStepperElement, BnTrainerElement, sharedBN } from "bn-wasm/widgets";
import type { BN } from "bn-wasm";

const stepper: BnStepperElement | null = document.querySelector("bn-stepper");
const trainer: BnTrainerElement = document.createElement("bn-trainer");
trainer.setAttribute("dataset", "moons");
stepper?.after(trainer);
const names: string[] = [...BnStepperElement.observedAttributes, ...BnTrainerElement.observedAttributes];
const bn: BN = await sharedBN();
console.log(names.length, bn.simd);
