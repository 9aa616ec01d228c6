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

  it 'has one rounding rule: half away from zero on the exact value, Integer for 0 decimals' do
    expect(described_class.round_half_away(Rational(30_015, 2))).to eq(15_008)       # 15007.5 cents
    expect(described_class.round_half_away(Rational(-5, 2))).to eq(-3)
    expect(described_class.round_half_away(Rational(319_973, 57_500), 4)).to eq(Rational(55_647, 10_000))
    expect(described_class.round_half_away(1.005, 2)).to eq(Rational(101, 100))     # not 1.00
    expect(described_class.round_half_away(7)).to eq(7)
  end

  it 'averages cents to whole cents, and an empty set to 0' do
    expect(described_class.average_cents(319_973, 5)).to eq(63_995)                  # 63994.6
    expect(described_class.average_cents(199_999, 2)).to eq(100_000)                 # 99999.5
    expect(described_class.average_cents(0, 0)).to eq(0)
  end

  it 'writes cents as dollars for messages, always with two decimals' do
    expect([4999, 12_000, 5, 123_456_789, -250].map { |cents| described_class.format_dollars(cents) })
      .to eq(['$49.99', '$120.00', '$0.05', '$1234567.89', '-$2.50'])
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

  it 'matches patterns on the whole string with ASCII classes' do
    email = described_class.ascii_pattern('[^@\s]+@[^@\s]+')
    expect(described_class.matches_whole?(email, 'jane@example.com')).to be(true)
    expect(described_class.matches_whole?(email, "jane@example.com\n")).to be(false) # what $ would allow
    expect(described_class.matches_whole?(email, "jane\vdoe@example.com")).to be(false)
    # Not whitespace by the book's \s: U+00A0, U+0085, U+FEFF, U+001C.
    ["\u00a0", "\u0085", "\ufeff", "\u001c"].each do |odd|
      expect(described_class.matches_whole?(email, "jane#{odd}doe@example.com")).to be(true), odd.inspect
    end
    expect(described_class.matches_whole?(described_class.ascii_pattern('\d+'), "\u0663")).to be(false)
    expect(described_class.matches_whole?(described_class.ascii_pattern('[A-Za-z]+'), "\u212a")).to be(false)
    expect(described_class.matches_whole?(email, 42)).to be(false)
    expect { described_class.ascii_pattern('[[:alpha:]]+') }.to raise_error(ArgumentError)
  end

  it 'reads text and whole numbers the one way every language does' do
    expect(described_class.present_text('  ')).to eq('  ')
    expect([nil, '', 0, false, []].map { |value| described_class.present_text(value) }).to all(be_nil)
    expect([2, 2.0, -3, (2**53) - 1].map { |value| described_class.whole_number(value) }).to eq([2, 2, -3, (2**53) - 1])
    expect([true, '2', 2.5, nil, 2**53, Float::INFINITY].map { |value| described_class.whole_number(value) })
      .to all(be_nil)
  end

  it 'parses timestamps with a zone and nothing else' do
    expect(described_class.parse_timestamp('2025-11-20T12:00:00.5+02:00')).to eq(Time.utc(2025, 11, 20, 10, 0, 0.5r))
    %W[2025-11-20T10:00:00 2025-11-20 2025-02-31T00:00:00Z 2025-11-20T23:59:60Z 2025-11-20T10:00:00Z\n].each do |text|
      expect(described_class.parse_timestamp(text)).to be_nil, text.inspect
    end
  end
end
