# frozen_string_literal: true

require 'date'
require 'securerandom'
require 'time'

# Helpers every post's handlers share, kept in one place so that money, ids and
# timestamps come out the same way in every workflow (and agree with the
# Python, TypeScript and Rust handlers checked by the shared vectors).
module ExampleSupport
  # The largest integer every language holds exactly (JavaScript's numbers are doubles).
  MAX_SAFE_INTEGER = (2**53) - 1
  # Ruby's POSIX brackets ([[:alpha:]]) and \p{...} are Unicode-wide: the book's patterns use neither.
  UNICODE_CLASSES = /\[\[:|\\[pP]\{/

  module_function

  # A validation pattern with the same meaning in all four languages, matched
  # against the whole string. Ruby's \s, \w and \d are ASCII already, but ^ and
  # $ match at every line break (hence \A and \z), and /i folds Unicode (the
  # Kelvin sign matches k), so patterns spell out both cases instead of /i.
  def ascii_pattern(source)
    raise ArgumentError, "Unicode-wide class in pattern #{source.inspect}" if source.match?(UNICODE_CLASSES)

    Regexp.new("\\A(?:#{source})\\z")
  end

  def matches_whole?(pattern, value)
    value.is_a?(String) && pattern.match?(value)
  end

  # A text field's value when it is present: a non-empty JSON string. Absent,
  # nil, "" and other JSON types count as missing; a string of spaces is text.
  def present_text(value)
    value if value.is_a?(String) && !value.empty?
  end

  # An integer field's value: a JSON number with a whole value within
  # +-(2**53 - 1). 2.0 is 2 (a JavaScript handler cannot tell them apart);
  # "2" is text, not a number.
  def whole_number(value)
    whole = value.is_a?(Integer) || (value.is_a?(Float) && value.finite? && value == value.truncate)
    number = value.to_i if whole
    number if number && number.abs <= MAX_SAFE_INTEGER
  end

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

  # RFC 3339 with Z or an offset, the way every language's handler reads it.
  TIMESTAMP_FORMAT = ascii_pattern(
    '\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)'
  )

  # A timestamp with Z or an offset as a UTC Time; nil for anything else: a
  # bare date, a time without a zone (Time.parse would read it as local), or a
  # day its month does not have (Time.iso8601 would roll 31 February over).
  def parse_timestamp(value)
    return nil unless matches_whole?(TIMESTAMP_FORMAT, value)
    return nil unless Date.valid_date?(*value[0, 10].split('-').map(&:to_i))

    Time.iso8601(value).utc
  end
end
