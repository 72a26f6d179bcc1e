"""The ${{ values.name }} service package."""
