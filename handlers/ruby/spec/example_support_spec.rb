# frozen_string_literal: true

require_relative '../shared/example_support'

RSpec.describe ExampleSupport do
  it 'converts dollars to cents exactly, whatever the binary float says' do
    expect([0.29, 124.76, 1.005, 100, 0].map { |dollars| described_class.to_cents(dollars) })
      .to eq([29, 12_476, 101, 10_000, 0])
    expect(described_class.to_dollars(12_476)).to eq(124.76)
  end

  it 'applies a rate to cents rounding half away from zero' do
    expect(described_class.apply_rate(10_997, Rational(8, 100))).to eq(880)
    expect(described_class.apply_rate(50, Rational(1, 100))).to eq(1)   # 0.5 -> 1
    expect(described_class.apply_rate(-50, Rational(1, 100))).to eq(-1) # -0.5 -> -1
  end

  it 'rounds ratios half away from zero on the written number' do
    expect([described_class.round_ratio(2.675, 2), described_class.round_ratio(-2.5, 0),
            described_class.round_ratio(0.125, 2), described_class.round_ratio(1e-05, 4)])
      .to eq([2.68, -3.0, 0.13, 0.0])
  end

  it 'makes prefixed hex ids of the asked length' do
    expect(described_class.hex_id('pay_', 24)).to match(/\Apay_[0-9a-f]{24}\z/)
    expect(described_class.hex_id('', 8, upcase: true)).to match(/\A[0-9A-F]{8}\z/)
    expect(described_class.hex_id('x_', 5)).to match(/\Ax_[0-9a-f]{5}\z/)
  end

  it 'writes UTC ISO-8601 timestamps with Z, offsets included' do
    now = Time.utc(2026, 11, 26, 9, 30)
    expect(described_class.timestamp(now)).to eq('2026-11-26T09:30:00Z')
    expect(described_class.days_from_now(7, from: now)).to eq('2026-12-03T09:30:00Z')
  end
end
