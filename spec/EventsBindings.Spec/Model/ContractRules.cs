namespace EventsBindings.Spec.Model;

/// <summary>
/// The contract's effective rules that more than one consumer applies (the mock's binder and query, the kit's
/// checks, the generator), computed here once so that they cannot disagree. The tests' oracle stays an
/// independent reading of the contract text and does not use these.
/// </summary>
public static class ContractRules
{
    /// <summary>
    /// Whether a value of <paramref name="parameter"/> selects field values without regard to case: its
    /// semantics say so (<c>semantics.caseInsensitive</c>), the parameter says so (<c>caseInsensitive</c>), or
    /// the field it filters is an enum whose values match without regard to case.
    /// </summary>
    /// <param name="contract">The contract.</param>
    /// <param name="parameter">The filter parameter.</param>
    /// <param name="fieldType">The type of the field it filters (null when unknown).</param>
    public static bool MatchesIgnoringCase(this ContractSpec contract, ParameterSpec parameter, TypeRef? fieldType)
    {
        if (contract is null)
        {
            throw new ArgumentNullException(nameof(contract));
        }

        if (parameter is null)
        {
            throw new ArgumentNullException(nameof(parameter));
        }

        return parameter.Semantics.CaseInsensitive || parameter.CaseInsensitive || contract.IgnoresCase(fieldType);
    }

    /// <summary>
    /// Whether a filter expression parameter (<c>scim</c>) compares text without regard to case everywhere
    /// (the parameter or its semantics says so); an attribute that is a case-insensitive enum compares so anyway
    /// (<see cref="FilterPath.CaseInsensitive"/>).
    /// </summary>
    /// <param name="parameter">The filter expression parameter.</param>
    public static bool ExpressionIgnoresCase(this ParameterSpec parameter)
    {
        if (parameter is null)
        {
            throw new ArgumentNullException(nameof(parameter));
        }

        return parameter.Semantics.CaseInsensitive || parameter.CaseInsensitive;
    }

    /// <summary>
    /// Whether a value sent for <paramref name="parameter"/> names one of its enum's values (a sort order, an
    /// ordered level) without regard to case: the parameter says so, or its enum does.
    /// </summary>
    /// <param name="contract">The contract.</param>
    /// <param name="parameter">The parameter.</param>
    public static bool AcceptsIgnoringCase(this ContractSpec contract, ParameterSpec parameter)
    {
        if (parameter is null)
        {
            throw new ArgumentNullException(nameof(parameter));
        }

        return parameter.CaseInsensitive || contract.IgnoresCase(parameter.Type.Element);
    }

    /// <summary>Whether values of <paramref name="type"/> match without regard to case (an enum that says so).</summary>
    /// <param name="contract">The contract.</param>
    /// <param name="type">The type (null: no).</param>
    public static bool IgnoresCase(this ContractSpec contract, TypeRef? type)
    {
        if (contract is null)
        {
            throw new ArgumentNullException(nameof(contract));
        }

        return type is { Kind: TypeKind.Enum, Name: { } name } && contract.FindEnum(name)?.CaseInsensitive == true;
    }
}
