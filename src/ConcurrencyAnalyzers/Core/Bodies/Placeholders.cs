using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// A method body that does no work at all: empty, only throwing (<c>throw null</c>, <c>throw new NotImplementedException()</c>),
/// or only returning a constant, <c>default</c>, <c>null</c> or an already completed task (<c>Task.CompletedTask</c>,
/// <c>Task.FromResult(0)</c>). That is the stub and reference-assembly idiom: the implementation that will run is not
/// this one, so the rules judge such a member as if its body could not be seen — by its name — instead of concluding
/// that it blocks nothing, or that an async twin of that shape runs synchronously.
/// </summary>
internal static class Placeholders
{
    public static bool IsPlaceholder(IOperation body)
    {
        var operation = body is IMethodBodyOperation method ? (IOperation?)method.BlockBody ?? method.ExpressionBody : body;
        while (operation is IBlockOperation { Operations.Length: 1 } block)
            operation = block.Operations[0];
        return operation switch
        {
            IBlockOperation { Operations.Length: 0 } => true,
            IExpressionStatementOperation { Operation: IThrowOperation } or IThrowOperation => true,
            IReturnOperation { ReturnedValue: null } => true,
            IReturnOperation { ReturnedValue: { } value } => IsInert(value.WalkDownConversions()),
            _ => false,
        };
    }

    private static bool IsInert(IOperation value) =>
        value switch
        {
            IThrowOperation or IDefaultValueOperation => true,
            { ConstantValue.HasValue: true } => true,
            IPropertyReferenceOperation { Property.Name: "CompletedTask", Instance: null } => true,
            IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } fromResult => IsInert(fromResult.Arguments[0].Value.WalkDownConversions()),
            IObjectCreationOperation { Arguments.Length: <= 1, Type: { Name: "ValueTask", ContainingNamespace: { Name: "Tasks" } } } creation =>
                creation.Arguments.Length == 0 || IsInert(creation.Arguments[0].Value.WalkDownConversions()), // new ValueTask<int>(0)
            _ => false,
        };
}
