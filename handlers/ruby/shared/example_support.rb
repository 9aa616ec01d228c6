# frozen_string_literal: true

require 'securerandom'
require 'time'

# Helpers every post's handlers share, kept in one place so that money, ids and
# timestamps come out the same way in every workflow (and agree with the
# Python, TypeScript and Rust handlers checked by the shared vectors).
module ExampleSupport
  module_function

  # Dollars (JSON number) to integer cents. Going through the decimal text of
  # the number avoids binary-float surprises such as 0.29 * 100 = 28.999...
  def to_cents(dollars)
    (Rational(dollars.to_s) * 100).round
  end

  def to_dollars(cents)
    cents / 100.0
  end

  # A rate (give it as a Rational, e.g. Rational(8, 100)) applied to cents,
  # rounded half away from zero: exact arithmetic, so 879.5 never becomes 879.
  def apply_rate(cents, rate)
    (cents * rate).round
  end

  # Non-money ratios: round half away from zero to +decimals+ places, judged
  # on the number as written (2.675 -> 2.68), as every language here does.
  def round_ratio(value, decimals)
    Rational(value.to_s).round(decimals).to_f
  end

  # prefix + random hex of +length+ characters (16 unless the spec says otherwise).
  def hex_id(prefix, length = 16, upcase: false)
    hex = SecureRandom.hex((length + 1) / 2)[0, length]
    "#{prefix}#{upcase ? hex.upcase : hex}"
  end

  def timestamp(time = Time.now)
    time.utc.iso8601
  end

  def days_from_now(days, from: Time.now)
    timestamp(from + (days * 86_400))
  end
end
