# frozen_string_literal: true

require 'date'

# The vector matching rules of handlers/README.md, implemented once: objects
# match partially, arrays element-wise with equal length, numbers within 1e-9
# (5 == 5.0), {"$match": regex} searches a string, and the relative forms
# {"$timestamp": ...} and {"$date": ...} tie a time to the run's clock or to
# another field of the same result.
module JsonMatch
  TOLERANCE = 1e-9
  SECONDS_PER_DAY = 86_400
  # The timestamp format of the pattern table: UTC, `Z`, 0 to 6 fractional digits.
  TIMESTAMP = /\A([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?Z\z/
  DATE_TEXT = /\A([0-9]{4})-?([0-9]{2})-?([0-9]{2})\z/
  FORMS = %w[$match $timestamp $date].freeze

  # The run's clock: the handler ran somewhere between +start+ and +end+.
  RunClock = Struct.new(:start, :end, keyword_init: true)
  # What relative expectations refer to: the clock and the result's top level.
  Scope = Struct.new(:clock, :root, keyword_init: true)

  module_function

  # Returns one "path: problem" line per mismatch; empty when everything matches.
  def mismatches(expected, actual, path = '$', scope = Scope.new)
    case form(expected)
    when '$match' then match_pattern(expected['$match'], actual, path)
    when '$timestamp' then match_timestamp(expected['$timestamp'], actual, path, scope)
    when '$date' then match_date(expected['$date'], actual, path, scope)
    else match_value(expected, actual, path, scope)
    end
  end

  def form(value)
    value.keys.first if value.is_a?(Hash) && value.size == 1 && FORMS.include?(value.keys.first)
  end

  def match_value(expected, actual, path, scope)
    if expected.is_a?(Hash)
      match_object(expected, actual, path, scope)
    elsif expected.is_a?(Array)
      match_array(expected, actual, path, scope)
    elsif expected.is_a?(Numeric)
      numbers_equal?(expected, actual) ? [] : [mismatch(path, expected, actual)]
    else
      expected == actual && expected.class == actual.class ? [] : [mismatch(path, expected, actual)]
    end
  end

  def match_pattern(regex, actual, path)
    return [] if actual.is_a?(String) && Regexp.new(regex).match?(actual)

    ["#{path}: expected a string matching /#{regex}/, got #{actual.inspect}"]
  end

  def match_object(expected, actual, path, scope)
    return [mismatch(path, expected, actual)] unless actual.is_a?(Hash)

    expected.flat_map do |key, value|
      child = "#{path}.#{key}"
      next ["#{child}: missing (expected #{value.inspect})"] unless actual.key?(key)

      mismatches(value, actual[key], child, scope)
    end
  end

  def match_array(expected, actual, path, scope)
    return [mismatch(path, expected, actual)] unless actual.is_a?(Array)
    return ["#{path}: expected #{expected.size} elements, got #{actual.size}"] unless expected.size == actual.size

    expected.each_with_index.flat_map { |value, index| mismatches(value, actual[index], "#{path}[#{index}]", scope) }
  end

  def match_timestamp(spec, actual, path, scope)
    problem = spec_problem(spec, %w[from offset_days tolerance_seconds], %w[from tolerance_seconds])
    return ["#{path}: bad $timestamp in the vector: #{problem}"] if problem

    moment = parse_timestamp(actual)
    return ["#{path}: expected a timestamp like 2026-01-31T09:30:00.123Z, got #{actual.inspect}"] unless moment

    found = anchors(spec['from'], scope)
    return ["#{path}: #{found}"] if found.is_a?(String)

    offset = Rational(spec.fetch('offset_days', 0)) * SECONDS_PER_DAY
    tolerance = Rational(spec['tolerance_seconds'])
    earliest = found.min + offset - tolerance
    latest = found.max + offset + tolerance
    return [] if moment.between?(earliest, latest)

    ["#{path}: expected a timestamp #{describe_anchor(spec)}, i.e. between #{iso(earliest)} and #{iso(latest)}, " \
     "got #{actual.inspect}"]
  end

  def match_date(spec, actual, path, scope)
    problem = spec_problem(spec, %w[pattern from offset_days], %w[pattern from])
    return ["#{path}: bad $date in the vector: #{problem}"] if problem

    group = actual.is_a?(String) ? Regexp.new(spec['pattern']).match(actual)&.[](1) : nil
    return ["#{path}: expected a string matching /#{spec['pattern']}/, got #{actual.inspect}"] unless group

    found = anchors(spec['from'], scope)
    return ["#{path}: #{found}"] if found.is_a?(String)

    offset = Rational(spec.fetch('offset_days', 0)) * SECONDS_PER_DAY
    allowed = found.map { |moment| (moment + offset).utc.to_date }.uniq.sort
    return [] if allowed.include?(written_date(group))

    ["#{path}: expected the date #{allowed.join(' or ')} (#{describe_anchor(spec)}) in #{actual.inspect}"]
  end

  # A timestamp in the book's format as a UTC Time (exact to the microsecond), else nil.
  def parse_timestamp(value)
    found = value.is_a?(String) && TIMESTAMP.match(value)
    return nil unless found

    year, month, day, hour, minute, second = found.captures.first(6).map(&:to_i)
    return nil unless Date.valid_date?(year, month, day) && hour < 24 && minute < 60 && second < 60

    Time.utc(year, month, day, hour, minute, second, Rational(found[7].to_s.ljust(6, '0')))
  end

  def written_date(text)
    found = DATE_TEXT.match(text)
    found && Date.valid_date?(*found.captures.map(&:to_i)) ? Date.new(*found.captures.map(&:to_i)) : nil
  end

  # The instants an expectation is relative to, or what is wrong with them.
  def anchors(from, scope)
    if from == 'now'
      return 'relative to now, but the runner gave no clock' unless scope&.clock

      return [scope.clock.start, scope.clock.end]
    end
    value = from.split('.').reduce(scope&.root) { |node, key| node.is_a?(Hash) ? node[key] : nil }
    moment = parse_timestamp(value)
    moment ? [moment] : "relative to field '#{from}', which is not a timestamp: #{value.inspect}"
  end

  def spec_problem(spec, allowed, required)
    return 'must be an object' unless spec.is_a?(Hash)
    return "unknown keys #{(spec.keys - allowed).sort}" unless (spec.keys - allowed).empty?
    return "missing keys #{required - spec.keys}" unless (required - spec.keys).empty?

    bad_number = %w[offset_days tolerance_seconds].find { |key| spec.key?(key) && !spec[key].is_a?(Numeric) }
    return "#{bad_number} must be a number" if bad_number
    return 'tolerance_seconds must not be negative' if spec.fetch('tolerance_seconds', 0).negative?
    return "from must be 'now' or a field name" unless spec['from'].is_a?(String) && !spec['from'].empty?

    nil
  end

  def describe_anchor(spec)
    days = spec.fetch('offset_days', 0)
    anchor = spec['from'] == 'now' ? "the run's clock" : "field '#{spec['from']}'"
    shifted = days.zero? ? anchor : "#{anchor} #{days.negative? ? '-' : '+'} #{days.abs} days"
    spec.key?('tolerance_seconds') ? "#{shifted} (± #{spec['tolerance_seconds']} s)" : shifted
  end

  def iso(time)
    time.utc.strftime('%Y-%m-%dT%H:%M:%S.%6NZ')
  end

  def numbers_equal?(expected, actual)
    actual.is_a?(Numeric) && (expected - actual).abs <= TOLERANCE
  end

  def mismatch(path, expected, actual)
    "#{path}: expected #{expected.inspect}, got #{actual.inspect}"
  end
end
