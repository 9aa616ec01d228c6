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
    round_half_away(Rational(dollars.to_s) * 100)
  end

  def to_dollars(cents)
    cents / 100.0
  end

  # A rate (give it as a Rational, e.g. Rational(8, 100)) applied to cents,
  # rounded half away from zero: exact arithmetic, so 879.5 never becomes 879.
  def apply_rate(cents, rate)
    round_half_away(cents * rate)
  end

  # Cents as people read them in a message: "$49.99", "$120.00" (always two
  # decimals, no thousands separator), from integer arithmetic only.
  def format_dollars(cents)
    sign = cents.negative? ? '-' : ''
    format('%<sign>s$%<dollars>d.%<cents>02d', sign: sign, dollars: cents.abs / 100, cents: cents.abs % 100)
  end

  # The mean of amounts in cents, in whole cents (0 when there is nothing to average).
  def average_cents(total_cents, count)
    count.zero? ? 0 : round_half_away(Rational(total_cents, count))
  end

  # Non-money ratios (a Rational for exactness, or a number as written):
  # rounded to +decimals+ places and emitted as a JSON number.
  def round_ratio(value, decimals)
    round_half_away(value, decimals).to_f
  end

  # ANCHOR: rounding
  # The one rounding rule every language in this book shares: half away from
  # zero (0.5 -> 1, -0.5 -> -1, 2.675 -> 2.68), applied to the exact value.
  # Integers and Rationals are exact already; a Float is read as the decimal
  # it prints as, not as its binary approximation (2.67499999...).
  # Rational#round rounds half away from zero unless told otherwise, and
  # gives an Integer for 0 decimals.
  def round_half_away(value, decimals = 0)
    exact = value.is_a?(Float) ? Rational(value.to_s) : Rational(value)
    exact.round(decimals)
  end
  # ANCHOR_END: rounding

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
