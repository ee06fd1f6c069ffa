"""An enrolled member's assessment and care plan (the RTF's care plan and assessment dates)."""
