//! The engine suite: every post's workflows run on the real Tasker engine
//! (the stack scripts/test-engine starts), in all four languages, asserted
//! from what the engine recorded. Run it with scripts/test-engine.

mod parity;
mod posts;
mod recording;
mod stand_ins;
mod support;

macro_rules! language_suite {
    ($module:ident, $language:expr) => {
        mod $module {
            use tasker_book_engine::namespaces::Language;

            const LANGUAGE: Language = $language;

            #[tokio::test]
            async fn post_01_checkout_completes() {
                crate::posts::checkout(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_01_unknown_product_stops_at_validate_cart() {
                crate::posts::unknown_product(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_01_declined_card_is_not_retried() {
                crate::posts::declined_card(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_01_network_error_is_retried_then_stops() {
                crate::posts::network_error(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_02_pipeline_fans_out_and_converges() {
                crate::posts::pipeline(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_03_pro_registration_runs_both_branches_together() {
                crate::posts::registration_pro(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_03_free_registration_skips_billing() {
                crate::posts::registration_free(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_04_refund_hands_off_to_payments_on_separate_workers() {
                crate::posts::refund_hand_off(LANGUAGE).await;
            }
            #[tokio::test]
            async fn post_04_pending_approval_is_retried_then_stops() {
                crate::posts::approval_pending(LANGUAGE).await;
            }
        }
    };
}

language_suite!(ruby, Language::Ruby);
language_suite!(python, Language::Python);
language_suite!(typescript, Language::TypeScript);
language_suite!(rust, Language::Rust);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn success_results_are_identical_in_every_language() {
    parity::success_results_are_identical_in_every_language().await;
}

#[test]
fn parity_placeholders_replace_only_generated_values() {
    parity::placeholders_replace_only_generated_values();
}

#[tokio::test]
async fn a_recorded_run_is_a_timeline_the_book_can_draw() {
    recording::a_recorded_pipeline_run().await;
}
