using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The event-handler shape, where <c>async void</c> is the only way to be async: <c>(object sender, TEventArgs e)</c>
/// whose second parameter derives from <c>EventArgs</c> (WinForms, WPF, MAUI, ASP.NET and custom event args alike) or
/// is named like one (<c>…EventArgs</c>, for <c>EventHandler&lt;T&gt;</c> with a type that does not derive from it).
/// </summary>
internal static class EventHandlers
{
    public static bool IsHandlerShape(IMethodSymbol method, KnownSymbols symbols) =>
        method.Parameters.Length == 2
        && method.Parameters[0].Type.SpecialType == SpecialType.System_Object
        && IsEventArgs(method.Parameters[1].Type, symbols);

    /// <summary>A delegate type whose <c>Invoke</c> has the handler shape, or whose name ends in <c>EventHandler</c>.</summary>
    public static bool IsHandlerDelegate(ITypeSymbol? type, KnownSymbols symbols) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } named
        && (IsHandlerShape(invoke, symbols) || named.Name.EndsWith("EventHandler", System.StringComparison.Ordinal));

    private static bool IsEventArgs(ITypeSymbol type, KnownSymbols symbols) =>
        type.Name.EndsWith("EventArgs", System.StringComparison.Ordinal) || KnownSymbols.InheritsFrom(type, symbols.Tasks.EventArgs);
}
