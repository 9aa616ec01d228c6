// Every handler class this worker offers. A real TypeScript worker registers
// classes the same way and finds one by its static handlerName, the value a
// task template gives as `handler.callable`.
import type { StepHandler } from '@tasker-systems/tasker';

import { CreateOrderHandler } from './post_01_ecommerce/step_handlers/create_order_handler';
import { ProcessPaymentHandler } from './post_01_ecommerce/step_handlers/process_payment_handler';
import { SendConfirmationHandler } from './post_01_ecommerce/step_handlers/send_confirmation_handler';
import { UpdateInventoryHandler } from './post_01_ecommerce/step_handlers/update_inventory_handler';
import { ValidateCartHandler } from './post_01_ecommerce/step_handlers/validate_cart_handler';

import { AggregateMetricsHandler } from './post_02_data_pipeline/step_handlers/aggregate_metrics_handler';
import { ExtractCustomerDataHandler } from './post_02_data_pipeline/step_handlers/extract_customer_data_handler';
import { ExtractInventoryDataHandler } from './post_02_data_pipeline/step_handlers/extract_inventory_data_handler';
import { ExtractSalesDataHandler } from './post_02_data_pipeline/step_handlers/extract_sales_data_handler';
import { GenerateInsightsHandler } from './post_02_data_pipeline/step_handlers/generate_insights_handler';
import { TransformCustomersHandler } from './post_02_data_pipeline/step_handlers/transform_customers_handler';
import { TransformInventoryHandler } from './post_02_data_pipeline/step_handlers/transform_inventory_handler';
import { TransformSalesHandler } from './post_02_data_pipeline/step_handlers/transform_sales_handler';

import { CreateUserAccountHandler } from './post_03_microservices/step_handlers/create_user_account_handler';
import { InitializePreferencesHandler } from './post_03_microservices/step_handlers/initialize_preferences_handler';
import { SendWelcomeSequenceHandler } from './post_03_microservices/step_handlers/send_welcome_sequence_handler';
import { SetupBillingProfileHandler } from './post_03_microservices/step_handlers/setup_billing_profile_handler';
import { UpdateUserStatusHandler } from './post_03_microservices/step_handlers/update_user_status_handler';

import { CheckRefundPolicyHandler } from './post_04_team_scaling/customer_success/step_handlers/check_refund_policy_handler';
import { ExecuteRefundWorkflowHandler } from './post_04_team_scaling/customer_success/step_handlers/execute_refund_workflow_handler';
import { GetManagerApprovalHandler } from './post_04_team_scaling/customer_success/step_handlers/get_manager_approval_handler';
import { UpdateTicketStatusHandler } from './post_04_team_scaling/customer_success/step_handlers/update_ticket_status_handler';
import { ValidateRefundRequestHandler } from './post_04_team_scaling/customer_success/step_handlers/validate_refund_request_handler';
import { NotifyCustomerHandler } from './post_04_team_scaling/payments/step_handlers/notify_customer_handler';
import { ProcessGatewayRefundHandler } from './post_04_team_scaling/payments/step_handlers/process_gateway_refund_handler';
import { UpdatePaymentRecordsHandler } from './post_04_team_scaling/payments/step_handlers/update_payment_records_handler';
import { ValidatePaymentEligibilityHandler } from './post_04_team_scaling/payments/step_handlers/validate_payment_eligibility_handler';

/** A concrete handler class: StepHandler's statics plus a no-argument constructor. */
export interface HandlerClass {
  readonly handlerName: string;
  readonly handlerVersion: string;
  new (): StepHandler;
}

export const HANDLER_CLASSES: readonly HandlerClass[] = [
  // post 01: ecommerce
  ValidateCartHandler,
  ProcessPaymentHandler,
  UpdateInventoryHandler,
  CreateOrderHandler,
  SendConfirmationHandler,
  // post 02: data_pipeline
  ExtractSalesDataHandler,
  ExtractInventoryDataHandler,
  ExtractCustomerDataHandler,
  TransformSalesHandler,
  TransformInventoryHandler,
  TransformCustomersHandler,
  AggregateMetricsHandler,
  GenerateInsightsHandler,
  // post 03: microservices
  CreateUserAccountHandler,
  SetupBillingProfileHandler,
  InitializePreferencesHandler,
  SendWelcomeSequenceHandler,
  UpdateUserStatusHandler,
  // post 04: customer_success
  ValidateRefundRequestHandler,
  CheckRefundPolicyHandler,
  GetManagerApprovalHandler,
  ExecuteRefundWorkflowHandler,
  UpdateTicketStatusHandler,
  // post 04: payments
  ValidatePaymentEligibilityHandler,
  ProcessGatewayRefundHandler,
  UpdatePaymentRecordsHandler,
  NotifyCustomerHandler,
];

export function findHandlerClass(callable: string): HandlerClass | undefined {
  return HANDLER_CLASSES.find((handlerClass) => handlerClass.handlerName === callable);
}
