using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Teardown on a failing path: a call named <c>Dispose</c>, <c>Close</c>, <c>Disconnect</c> or <c>Shutdown</c> in a
/// <c>catch</c> clause that ends by throwing (<c>catch { socket.Disconnect(false); socket.Dispose(); throw; }</c>).
/// The operation has already failed and the resource is being abandoned: with default settings such teardown does not
/// wait for the peer, and an awaited teardown would only delay the exception being rethrown (and replace it when the
/// teardown itself fails). Not teardown on a failing path: the same call in a <c>catch</c> that swallows the exception,
/// in a <c>finally</c>, inside a loop or a lambda within the <c>catch</c>, or any other call there (a <c>Flush</c> or
/// <c>Write</c> still waits).
/// </summary>
internal static class ErrorPaths
{
    public static bool IsTeardownBeforeRethrow(IOperation call)
    {
        var method = (call as IInvocationOperation)?.TargetMethod;
        if (method is null || !method.ReturnsVoid || method.Name is not ("Dispose" or "Close" or "Disconnect" or "Shutdown"))
            return false;
        foreach (var ancestor in call.Ancestors())
        {
            switch (ancestor)
            {
                case ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation:
                    return false;
                case ICatchClauseOperation { Handler: { Operations.Length: > 0 } handler }:
                    return handler.Operations[handler.Operations.Length - 1] is IExpressionStatementOperation { Operation: IThrowOperation } or IThrowOperation;
            }
        }

        return false;
    }
}
