using System.Text;

namespace EventsBindings.Runtime.Json;

/// <summary>
/// A JSON payload does not match the contract: malformed JSON, a token of the wrong type, a missing field.
/// <see cref="Path"/> says where (<c>$.data[3].time</c>), <see cref="Field"/> which contract field.
/// Messages never contain the offending value.
/// </summary>
public class JsonPayloadException : Exception
{
    private readonly List<string> _segments = new();
    private readonly string _problem;

    /// <summary>Creates an exception.</summary>
    /// <param name="problem">What is wrong (without the value).</param>
    /// <param name="field">The contract's name of the field (<c>Model.json_name</c>), when known.</param>
    /// <param name="innerException">The cause.</param>
    public JsonPayloadException(string problem, string? field = null, Exception? innerException = null)
        : base(problem, innerException)
    {
        _problem = problem;
        Field = field;
    }

    /// <summary>The JSON path of the problem, from the payload's root: <c>$</c>, <c>$.data[3].time</c>.</summary>
    public string Path
    {
        get
        {
            var sb = new StringBuilder("$");
            for (var i = _segments.Count - 1; i >= 0; i--)
            {
                sb.Append(_segments[i]);
            }

            return sb.ToString();
        }
    }

    /// <summary>The contract's name of the field (<c>Model.json_name</c>), when known.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem => _problem;

    /// <inheritdoc />
    public override string Message => $"{_problem} (at {Path}{(Field is null ? string.Empty : ", field " + Field)})";

    /// <summary>Records that the problem lies inside the property <paramref name="property"/> (called while unwinding).</summary>
    /// <param name="property">The JSON property name.</param>
    /// <returns>This exception.</returns>
    public JsonPayloadException WithParent(string property)
    {
        _segments.Add(JsonPathFinder.Segment(property));
        return this;
    }

    /// <summary>Records that the problem lies inside array element <paramref name="index"/>.</summary>
    /// <param name="index">The element's index.</param>
    /// <returns>This exception.</returns>
    public JsonPayloadException WithIndex(int index)
    {
        _segments.Add(JsonPathFinder.Index(index));
        return this;
    }

    /// <summary>A required field is absent.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="field">The JSON name of the field.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonPayloadException MissingField(string model, string field) =>
        new JsonPayloadException($"The required property '{field}' of {model} is missing", model + "." + field);
}
