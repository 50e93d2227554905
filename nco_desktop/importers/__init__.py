"""Turning files a person has (phone exports, screenshots, e-mail) into vault entries."""
