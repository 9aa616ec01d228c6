// Shapes of the task's input. Everything in a task context is untrusted JSON,
// so handlers still check each field before relying on these types.
export interface CartItem {
  readonly product_id: number;
  readonly quantity: number;
}

export interface CustomerInfo {
  readonly email: string;
  readonly name: string;
  readonly phone?: string;
}

export interface PaymentInfo {
  readonly method: string;
  readonly token: string;
  readonly amount: number;
}

// ANCHOR: order_model
/**
 * The order that create_order records. Its keys are snake_case because this
 * object is the step's JSON result, which later steps (in any language) read.
 */
export interface Order {
  readonly order_id: string;
  readonly order_number: string;
  readonly status: 'confirmed';
  readonly total_amount: number;
  readonly customer_email: string;
  readonly created_at: string;
  readonly estimated_delivery: string;
}
// ANCHOR_END: order_model

/** One line of validate_cart's result; update_inventory reserves stock per line. */
export interface ValidatedItem {
  readonly product_id: number;
  readonly name: string;
  readonly price: number;
  readonly quantity: number;
  readonly line_total: number;
}
