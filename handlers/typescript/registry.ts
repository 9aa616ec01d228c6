// Every handler class this worker offers. A real TypeScript worker registers
// classes the same way and finds one by its static handlerName, the value a
// task template gives as `handler.callable`.
import type { StepHandler } from '@tasker-systems/tasker';

import { CreateOrderHandler } from './post_01_ecommerce/step_handlers/create_order_handler';
import { ProcessPaymentHandler } from './post_01_ecommerce/step_handlers/process_payment_handler';
import { SendConfirmationHandler } from './post_01_ecommerce/step_handlers/send_confirmation_handler';
import { UpdateInventoryHandler } from './post_01_ecommerce/step_handlers/update_inventory_handler';
import { ValidateCartHandler } from './post_01_ecommerce/step_handlers/validate_cart_handler';

/** A concrete handler class: StepHandler's statics plus a no-argument constructor. */
export interface HandlerClass {
  readonly handlerName: string;
  readonly handlerVersion: string;
  new (): StepHandler;
}

export const HANDLER_CLASSES: readonly HandlerClass[] = [
  ValidateCartHandler,
  ProcessPaymentHandler,
  UpdateInventoryHandler,
  CreateOrderHandler,
  SendConfirmationHandler,
];

export function findHandlerClass(callable: string): HandlerClass | undefined {
  return HANDLER_CLASSES.find((handlerClass) => handlerClass.handlerName === callable);
}
