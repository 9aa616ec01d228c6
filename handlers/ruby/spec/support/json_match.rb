# frozen_string_literal: true

# The vector matching rules of handlers/vectors (common.md), implemented once:
# objects match partially, arrays element-wise with equal length, numbers
# within 1e-9 (5 == 5.0), {"$match": regex} searches a string.
module JsonMatch
  TOLERANCE = 1e-9

  module_function

  # Returns one "path: problem" line per mismatch; empty when everything matches.
  def mismatches(expected, actual, path = '$')
    if pattern?(expected)
      match_pattern(expected['$match'], actual, path)
    elsif expected.is_a?(Hash)
      match_object(expected, actual, path)
    elsif expected.is_a?(Array)
      match_array(expected, actual, path)
    elsif expected.is_a?(Numeric)
      numbers_equal?(expected, actual) ? [] : [mismatch(path, expected, actual)]
    else
      expected == actual && expected.class == actual.class ? [] : [mismatch(path, expected, actual)]
    end
  end

  def pattern?(value)
    value.is_a?(Hash) && value.keys == ['$match']
  end

  def match_pattern(regex, actual, path)
    return [] if actual.is_a?(String) && Regexp.new(regex).match?(actual)

    ["#{path}: expected a string matching /#{regex}/, got #{actual.inspect}"]
  end

  def match_object(expected, actual, path)
    return [mismatch(path, expected, actual)] unless actual.is_a?(Hash)

    expected.flat_map do |key, value|
      child = "#{path}.#{key}"
      actual.key?(key) ? mismatches(value, actual[key], child) : ["#{child}: missing (expected #{value.inspect})"]
    end
  end

  def match_array(expected, actual, path)
    return [mismatch(path, expected, actual)] unless actual.is_a?(Array)
    return ["#{path}: expected #{expected.size} elements, got #{actual.size}"] unless expected.size == actual.size

    expected.each_with_index.flat_map { |value, index| mismatches(value, actual[index], "#{path}[#{index}]") }
  end

  def numbers_equal?(expected, actual)
    actual.is_a?(Numeric) && (expected - actual).abs <= TOLERANCE
  end

  def mismatch(path, expected, actual)
    "#{path}: expected #{expected.inspect}, got #{actual.inspect}"
  end
end
