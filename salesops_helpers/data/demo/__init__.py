"""A realistic, reproducible demo company for running and testing the workbook."""

from salesops_helpers.data.demo.company import DemoCompany, generate_demo_company, write_demo_company

__all__ = ["DemoCompany", "generate_demo_company", "write_demo_company"]
