# frozen_string_literal: true

# The vector matcher itself (rules in handlers/README.md).
RSpec.describe JsonMatch do
  clock = JsonMatch::RunClock.new(start: Time.utc(2026, 1, 31, 23, 59, Rational(59_500, 1000)),
                                  end: Time.utc(2026, 2, 1, 0, 0, Rational(200, 1000)))

  def problems(expected, actual, scope = JsonMatch::Scope.new)
    described_class.mismatches(expected, actual, '$', scope)
  end

  it 'matches objects partially, arrays element-wise, numbers within 1e-9' do
    expect(problems({ 'a' => { 'b' => 1 } }, { 'a' => { 'b' => 1.0, 'x' => 2 } })).to be_empty
    expect(problems([1, 2], [1])).to eq(['$: expected 2 elements, got 1'])
    expect(problems(1, true)).not_to be_empty
    expect(problems({ '$match' => '^pay_[0-9a-f]{4}$' }, 'pay_00ff')).to be_empty
  end

  it 'matches $timestamp relative to the run clock within the stated tolerance' do
    scope = JsonMatch::Scope.new(clock: clock, root: {})
    near = { '$timestamp' => { 'from' => 'now', 'tolerance_seconds' => 1 } }
    expect(problems(near, '2026-02-01T00:00:00Z', scope)).to be_empty
    expect(problems(near, '2026-01-31T23:59:58.600Z', scope)).to be_empty
    expect(problems(near, '2026-01-31T23:59:58.400Z', scope)).not_to be_empty
    expect(problems(near, '2026-02-01T00:00:01.300Z', scope)).not_to be_empty
    # Across a month end: 7 days after 31 January is 7 February.
    week = { '$timestamp' => { 'from' => 'now', 'offset_days' => 7, 'tolerance_seconds' => 1 } }
    expect(problems(week, '2026-02-08T00:00:00.100Z', scope)).to be_empty
    expect(problems(week, '2026-03-07T00:00:00Z', scope)).not_to be_empty
    # The format is part of the expectation.
    expect(problems(near, '2026-02-01T00:00:00+00:00', scope)).not_to be_empty
    expect(problems(near, '2026-02-01T00:00:00.000000001Z', scope)).not_to be_empty
    expect(problems(near, '2026-02-31T00:00:00Z', scope)).not_to be_empty
    expect(problems(near, '2026-02-01T00:00:00Z')).not_to be_empty # no clock, no match
  end

  it 'matches $timestamp relative to another field of the result' do
    scope = JsonMatch::Scope.new(clock: clock, root: { 'created_at' => '2026-01-31T10:00:00.000Z',
                                                       'nested' => { 'at' => '2026-01-01T00:00:00Z' } })
    plus30 = { '$timestamp' => { 'from' => 'created_at', 'offset_days' => 30, 'tolerance_seconds' => 0 } }
    expect(problems(plus30, '2026-03-02T10:00:00Z', scope)).to be_empty
    expect(problems(plus30, '2026-02-28T10:00:00Z', scope)).not_to be_empty # a month is not 30 days
    minus1 = { '$timestamp' => { 'from' => 'nested.at', 'offset_days' => -1, 'tolerance_seconds' => 0 } }
    expect(problems(minus1, '2025-12-31T00:00:00Z', scope)).to be_empty
    missing = { '$timestamp' => { 'from' => 'updated_at', 'tolerance_seconds' => 0 } }
    expect(problems(missing, '2026-01-31T10:00:00Z', scope).first).to include('not a timestamp')
  end

  it 'matches $date inside a string against its anchor' do
    scope = JsonMatch::Scope.new(clock: clock, root: { 'created_at' => '2026-01-31T23:59:59.900Z' })
    number = { '$date' => { 'pattern' => '^ORD-([0-9]{8})-[0-9A-F]{8}$', 'from' => 'created_at' } }
    expect(problems(number, 'ORD-20260131-0A1B2C3D', scope)).to be_empty
    expect(problems(number, 'ORD-20260201-0A1B2C3D', scope)).not_to be_empty
    expect(problems(number, 'ORD-2026013-0A1B2C3D', scope)).not_to be_empty
    # A run across midnight may carry either date; a dashed date reads the same.
    today = { '$date' => { 'pattern' => '^([0-9-]{10})$', 'from' => 'now' } }
    expect(problems(today, '2026-01-31', scope)).to be_empty
    expect(problems(today, '2026-02-01', scope)).to be_empty
    expect(problems(today, '2026-02-02', scope)).not_to be_empty
  end

  it 'refuses malformed relative expectations' do
    scope = JsonMatch::Scope.new(clock: clock, root: {})
    [{ 'from' => 'now' }, { 'from' => 'now', 'tolerance_seconds' => -1 },
     { 'from' => 'now', 'tolerance_seconds' => 1, 'days' => 7 }, { 'tolerance_seconds' => 1 }].each do |spec|
      expect(problems({ '$timestamp' => spec }, '2026-02-01T00:00:00Z', scope).first).to include('bad $timestamp')
    end
    expect(problems({ '$date' => { 'from' => 'now' } }, 'x', scope).first).to include('bad $date')
  end
end
